"""Calendar months as whole numbers: ``2023-09`` is month index 2023*12 + 8."""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """``'2023-09'`` -> month index; ValueError with a readable message otherwise."""
    match = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f'"{text}" is not a month; write it as YYYY-MM, e.g. 2024-02')
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f'"{text}" is not a month; the month must be 01 to 12')
    if not 1900 <= year <= 2200:
        raise ValueError(f'"{text}" is out of reach; the year must be 1900 to 2200')
    return year * 12 + month - 1


def format_month(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def days_in(index: int) -> int:
    year, month = divmod(index, 12)
    return calendar.monthrange(year, month + 1)[1]


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1
