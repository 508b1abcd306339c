"""Calendar months as whole numbers: ``2023-09`` is month index 2023*12 + 8.

The one grammar for a month, wherever it is written: exactly ``YYYY-MM`` in ASCII digits,
nothing before or after. A month written `` 2025-01`` or ``2025-01 `` is refused rather than
quietly taken for another month (or for no month at all), and other scripts' digits are
refused rather than echoed back as if they were a month.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

FIRST_YEAR = 1900
LAST_START_YEAR = 2200
MAX_MONTHS = 240  # the longest horizon
FIRST = FIRST_YEAR * 12
LAST_START = LAST_START_YEAR * 12 + 11
# The last month any horizon reaches: a change may be dated up to here, if its horizon does.
LAST = LAST_START + MAX_MONTHS - 1


def format_month(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def _index(text: str) -> int:
    """The month index of text in the one grammar, whatever its year."""
    match = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f'"{text}" is not a month; write it as YYYY-MM, e.g. 2024-02')
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f'"{text}" is not a month; the month must be 01 to 12')
    return year * 12 + month - 1


def parse_month(text: str) -> int:
    """``'2023-09'`` -> month index; ValueError with a readable message otherwise.

    Any month some horizon can reach is allowed; whether it lies inside a given
    scenario's horizon is that scenario's check.
    """
    index = _index(text)
    if not FIRST <= index <= LAST:
        raise ValueError(f'"{text}" is out of reach; months run from {format_month(FIRST)} to {format_month(LAST)}')
    return index


def parse_start(text: str) -> int:
    """The first month of a horizon: a month in a year a projection may start."""
    index = _index(text)
    if not FIRST <= index <= LAST_START:
        raise ValueError(f'"{text}" is out of reach; the year must be {FIRST_YEAR} to {LAST_START_YEAR}')
    return index


def days_in(index: int) -> int:
    year, month = divmod(index, 12)
    return calendar.monthrange(year, month + 1)[1]


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1
