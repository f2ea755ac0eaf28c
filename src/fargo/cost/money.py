"""Amounts as fargo prints them: US$1,234.56."""

from __future__ import annotations


def usd(amount: float) -> str:
    return f"US${amount:,.2f}"


def signed_usd(amount: float) -> str:
    sign = "-" if round(amount, 2) < 0 else "+"
    return f"{sign}US${abs(amount):,.2f}"
