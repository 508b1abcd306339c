"""Numbers in a few cells, for axis ticks and the ends of tornado bars.

Kept as they were drawn before (``1.5M``, ``62.6%``, ``2025-08``, ``never``); the key
figures themselves are defined in ``docs/model.md``.
"""

from __future__ import annotations

import math

from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.months import format_month
from ammoflow.scenarios.model.scenario import Scenario

__all__ = ["human_number", "short_value"]

_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def human_number(value: float) -> str:
    """Short human form of a number: ``1500000 -> "1.5M"``, ``300000 -> "300k"``.

    At most three significant digits, trailing zeros dropped; NaN gives "".
    """
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    divisor, suffix = 1.0, ""
    for unit_divisor, unit_suffix in _UNITS:
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


def short_value(figure_key: str, number: float, scenario: Scenario) -> str:
    """A key figure in a few cells: ``4.46M``, ``62.6%``, ``2025-08``, ``never``, ``n/a``.

    Month figures count months from the start; the horizon means "never" (``docs/model.md``).
    """
    if number is None or not math.isfinite(number):
        return "n/a"
    kind = FIGURES_BY_KEY[figure_key].kind
    if kind == "month":
        if number >= scenario.months:
            return "never"
        return format_month(scenario.start_index + int(number))
    if kind == "share":
        return f"{number * 100:.1f}%"
    return human_number(number)
