"""Dates in answers: always year-month-day (what a date box gives), shown in words."""

from __future__ import annotations

import re
from datetime import date

from .errors import InputError

__all__ = ["check_date_answer", "date_words"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def check_date_answer(value: str, name: str) -> str:
    """Return `value` if it is a real year-month-day date; else InputError naming the question."""
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise InputError(f"The answer to {name} is not a date (the form is year-month-day, "
                         "for example 2025-03-14).") from None
    return value


def date_words(value: str) -> str:
    """`2025-03-14` -> `14 March 2025`."""
    day = date.fromisoformat(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
