"""Help text helpers shared by the command modules."""


def examples(*lines: str) -> str:
    """An epilog click prints as written (\\b stops it from re-wrapping the lines)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)
