"""Values as people type them: ``1,100``, ``1_100``, ``1.1k``, ``2M``, ``35%``.

One parser serves the explorer's value fields and the command line's ``--set``.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal, InvalidOperation

from ammoflow.scenarios.model.registry import Parameter, format_number
from ammoflow.scenarios.model.text import excerpt

_MULTIPLIERS: dict[str, int] = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_LOOSE_UNDERSCORE = re.compile(r"(?<!\d)_|_(?!\d)")
_LARGEST = Decimal(sys.float_info.max)


def _example(parameter: Parameter) -> str:
    """A typical way to type the default value, for error messages."""
    value = parameter.default
    plain = format_number(value)
    for suffix, size in (("M", 1_000_000), ("k", 1_000)):
        if abs(value) >= size:
            return f"{plain} or {format_number(value / size)}{suffix}"
    if parameter.unit == "%":
        return f"{plain} or {plain}%"
    return plain


def parse_value(text: str, parameter: Parameter) -> float:
    """The number a user typed for ``parameter``.

    Accepts thousands separators (``1,100`` or ``1_100``), the suffixes ``k``,
    ``M`` and ``B`` (``1.1k``, ``2M``), a trailing ``%`` for percentages and
    the parameter's unit written out (``1,100 containers/month``). Decimal
    arithmetic keeps ``1.1k`` exactly 1100.

    Args:
        text: What the user typed.
        parameter: The parameter the value is for.

    Returns:
        The value, allowed by the parameter's range (and whole when it must be).

    Raises:
        ValueError: With a message for the user when ``text`` is not a number
            or the number is not allowed.
    """
    shown = text.strip()
    body = shown.replace("\u2212", "-")
    if not body:
        raise ValueError(f"Type a value for {parameter.key}, e.g. {_example(parameter)}")
    unit = parameter.unit
    if unit != "%" and body.lower().endswith(unit.lower()):
        body = body[: -len(unit)].rstrip()
    if body.endswith("%"):
        if unit != "%":
            raise ValueError(f"{parameter.key} is in {unit}, not a percentage: type a plain number")
        body = body[:-1].rstrip()
    value = float(_number(body, shown, _example(parameter), parameter.key)) + 0.0  # + 0.0: "-0" is 0
    problem = parameter.out_of_range(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def parse_number(text: str, example: str = "15,000 or 2M") -> float:
    """Any number as people type it (``15,000``, ``1.5k``, ``2M``); ``example`` goes in the message.

    Raises:
        ValueError: With a message for the user.
    """
    shown = text.strip()
    return float(_number(shown.replace("\u2212", "-"), shown, example)) + 0.0


def parse_count(text: str, what: str, low: int, high: int | None = None) -> int:
    """A whole number from ``low`` to ``high`` (no limit when None) as people type it: ``10,000``, ``10k``.

    ``what`` names the number in messages ("the number of runs").

    Raises:
        ValueError: With a message for the user.
    """
    shown = text.strip()
    allowed = f"from {low:,} to {high:,}" if high is not None else f"of {low:,} or more"  # exact, however large
    if not shown:
        raise ValueError(f"type {what}, a whole number {allowed}")
    example = f"{high if high is not None else low:,}"
    value = _number(shown.replace("\u2212", "-"), shown, example)
    if value != value.to_integral_value() or value < low or (high is not None and value > high):
        raise ValueError(f"{what} must be a whole number {allowed}")
    return int(value)


def _number(body: str, shown: str, example: str, name: str | None = None) -> Decimal:
    """``body`` (``shown`` with any unit taken off) as an exact number: separators and k / M / B suffixes allowed.

    A number beyond what a float holds (``1e1000000``, 400 digits) is refused here, so no
    caller meets an overflow or an infinity; ``name``, when given, says what it was for.
    """
    quoted = f'"{excerpt(shown)}"'
    multiplier = 1
    if body and body[-1].lower() in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[body[-1].lower()]
        body = body[:-1].rstrip()
    if "_" in body:
        if _LOOSE_UNDERSCORE.search(body):
            raise ValueError(f"{quoted}: underscores may only separate digits, as in 1_100")
        body = body.replace("_", "")
    if "," in body:
        if not _GROUPED.fullmatch(body):
            raise ValueError(f"{quoted}: commas only group thousands (1,500); use a dot for decimals")
        body = body.replace(",", "")
    if not _NUMBER.fullmatch(body):
        raise ValueError(f"{quoted} is not a number; type e.g. {example}")
    try:
        number = Decimal(body)
    except InvalidOperation:
        raise ValueError(f"{quoted} is not a number; type e.g. {example}") from None
    # Decimal reads any exponent; its arithmetic overflows past 1e999999, a float past 1.8e308.
    if (number and number.adjusted() > _LARGEST.adjusted()) or abs(number * multiplier) > _LARGEST:
        if name is not None:
            raise ValueError(f"{name} must be a finite number, not {quoted} (too large); type e.g. {example}")
        raise ValueError(f"{quoted} is too large a number; type e.g. {example}")
    return number * multiplier
