"""Checks of single values, as AWS checks them: each module one kind of value, pure functions."""
