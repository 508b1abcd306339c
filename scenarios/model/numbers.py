"""Numbers as people type them and as they are shown: the one parser and formatter.

Parsing: ``1,100``, ``1_100``, ``1.1k``, ``2M``, ``35%``; one parser serves the explorer's
value fields, the dialogs and the command line's ``--set`` and options.

Showing, one style a function, so a number reads the same wherever it appears:

- :func:`format_number`, full with grouping (``1,500,000``, ``0.35``): parameter values;
- :func:`format_typed`, full to a resolution (a value a search or a fit found; :func:`round_to` keeps it);
- :func:`format_whole`, grouped and rounded to a whole (``1,170,000``): key figures;
- :func:`format_share`, a share as a percentage (``62.6%``);
- :func:`format_signed` and :func:`format_signed_points`, a difference (``+1,234``, ``-2.1 pts``);
- :func:`format_compact`, three significant digits and a suffix (``4.46M``, ``300k``): chart ticks, bars;
- :func:`format_compact_table`, ``1,234`` / ``12.3k`` / ``1.23M``: the command line's tables;
- :func:`format_compact_figure`, ``1,234`` / ``12k`` / ``1.23M``: headline figures in a narrow panel.
- :func:`format_count_range`, ``8.48M–18.4M``: a spread of counts (the bands' p5 to p95).

This module sits at the bottom of the model (it imports only ``text``), so the registry,
the figures and every interface can use it; a parameter is met through :class:`Quantity`.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Protocol

from ammoflow.scenarios.model.text import excerpt

_MULTIPLIERS: dict[str, int] = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_LOOSE_UNDERSCORE = re.compile(r"(?<!\d)_|_(?!\d)")
_LARGEST = Decimal(sys.float_info.max)


class Quantity(Protocol):
    """What parsing needs of a parameter (:class:`ammoflow.scenarios.model.registry.Parameter`)."""

    @property
    def key(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def default(self) -> float: ...
    def out_of_range(self, value: float) -> str | None: ...


def format_number(value: float) -> str:
    """Group thousands and drop a needless ``.0`` (1500000.0 -> '1,500,000').

    Any float gives one short line: infinities and NaN by name, the very large in
    scientific notation (``1e+300``), so a message quoting a hostile value stays readable.
    """
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e21:
        return f"{value:.6g}"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_typed(value: float, resolution: float, *, integer: bool = False) -> str:
    """``value`` to the decimals of ``resolution`` (a whole when ``integer``), as it would be typed.

    A search or a fit finds a value to some resolution; more digits would claim a precision
    it does not have.
    """
    return format_number(round_to(value, resolution, integer=integer))


def round_to(value: float, resolution: float, *, integer: bool = False) -> float:
    """``value`` rounded to the decimals of ``resolution`` (to a whole when ``integer``): what
    :func:`format_typed` shows, as a number to keep."""
    if integer or resolution >= 1:
        return float(round(value))
    return round(value, -math.floor(math.log10(resolution)))


def format_whole(value: float) -> str:
    """Grouped and rounded to a whole (``1,170,000``); from 1e15 in figures (a target typed as 1e300)."""
    return f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.4g}"


def format_count(count: float, noun: str, nouns: str | None = None, *, signed: bool = False) -> str:
    """A count with its noun in agreement: ``1 month``, ``3 months``, ``+1 month``, ``1,000 runs``.

    ``nouns`` is the plural when adding an s will not do; only a count of exactly one
    (either sign) takes the singular.
    """
    word = noun if abs(count) == 1 else (nouns or f"{noun}s")
    return f"{format_signed(count) if signed else format_whole(count)} {word}"


def format_share(share: float) -> str:
    """A share (0.626) as a percentage to a tenth (``62.6%``); a huge one in figures."""
    return f"{share * 100:.1f}%" if abs(share) < 1e13 else f"{share * 100:.4g}%"


def format_signed(delta: float) -> str:
    """A difference with its sign, grouped and whole: ``+1,234``."""
    return f"{delta:+,.0f}"


def format_percent(share: float, *, signed: bool = False) -> str:
    """A relative difference (0.123) as a whole percentage (``12%``, ``+12%`` when ``signed``).

    Observations are reported to one or two digits: tenths of a percent would claim more.
    Below 1% shows as ``<1%`` rather than ``0%``, which reads as no difference at all.
    """
    percent = share * 100
    if 0 < abs(percent) < 0.5:
        return f"{'+' if signed and percent > 0 else '-' if signed else ''}<1%"
    return f"{percent:+,.0f}%" if signed else f"{percent:,.0f}%"


def format_scale(factor: float) -> str:
    """A multiplying factor to two decimals: ``×1.35``."""
    return f"×{factor:.2f}"


def format_signed_points(delta: float) -> str:
    """A difference of shares in percentage points: ``-2.1 pts``."""
    return f"{delta * 100:+.1f} pts"


def format_tenths(value: float) -> str:
    """A count of months and the like to a tenth: ``14.2``, grouped (``1,234.5``)."""
    return f"{value:,.1f}" if abs(value) < 1e15 else f"{value:.4g}"


def format_signed_tenths(delta: float) -> str:
    """A difference to a tenth, with its sign: ``+1.3``."""
    return f"{delta:+,.1f}" if abs(delta) < 1e15 else f"{delta:+.4g}"


_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def format_compact(value: float) -> str:
    """Short human form of a number: ``1500000 -> "1.5M"``, ``300000 -> "300k"``.

    At most three significant digits, trailing zeros dropped; NaN and infinities give "".
    A value that rounds up to the next unit takes it (999,600 is "1M", not "1000k").
    """
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    divisor, suffix = 1.0, ""
    for unit_divisor, unit_suffix in _SUFFIXES:
        if magnitude >= unit_divisor * 0.9995:
            divisor, suffix = unit_divisor, unit_suffix
            break
    scaled = magnitude / divisor
    if suffix == "" and scaled < 1:
        text = f"{scaled:.3g}"
    else:
        decimals = 0 if scaled >= 99.95 else 1 if scaled >= 9.995 else 2
        text = f"{scaled:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return f"{sign}{text}{suffix}"


def format_compact_table(value: float) -> str:
    """Short numbers for tables, to a tenth of a thousand: ``1,234`` / ``12.3k`` / ``1.23M``."""
    size = abs(value)
    if size < 10_000:
        return f"{value:,.0f}"
    if size < 1_000_000:
        return f"{value / 1_000:,.1f}k"
    return f"{value / 1_000_000:,.2f}M"


def format_compact_figure(value: float) -> str:
    """A headline count in few cells, in whole thousands: ``1,234`` / ``12k`` / ``1.23M``.

    The value is first rounded as :func:`format_whole` shows it, so the short form never
    disagrees with the full one (``-0.3`` is ``-0`` in both).
    """
    shown = math.copysign(round(value), value) if abs(value) < 1e15 else float(f"{value:.4g}")
    size = abs(shown)
    if size >= 1e6:
        return f"{shown / 1e6:.2f}M"
    if size >= 1e4:
        return f"{shown / 1e3:.0f}k"
    return f"{shown:,.0f}"


def format_count_range(low: float, high: float) -> str:
    """A spread of counts (p5 to p95 over runs) at three significant digits: ``8.48M–18.4M``.

    A range is what the runs leave uncertain: digits past the third would claim a precision it
    does not have, and the full form (``8,480,004–18,426,531``) fills the figures table. Each
    end is first rounded to a whole, as the figure itself is shown (:func:`format_whole`), then
    put as :func:`format_compact` puts chart ticks.
    """

    def end(value: float) -> str:
        whole = math.copysign(round(value), value) if abs(value) < 1e15 else value
        return format_compact(whole) or format_number(value)  # NaN and infinities by name

    return f"{end(low)}–{end(high)}"


def _example(parameter: Quantity) -> str:
    """A typical way to type the default value, for error messages."""
    value = parameter.default
    plain = format_number(value)
    for suffix, size in (("M", 1_000_000), ("k", 1_000)):
        if abs(value) >= size:
            return f"{plain} or {format_number(value / size)}{suffix}"
    if parameter.unit == "%":
        return f"{plain} or {plain}%"
    return plain


def parse_value(text: str, parameter: Quantity) -> float:
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
