"""Axis ticks: round values on the y axis, month labels that never touch on the x axis."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rich.cells import cell_len

from ammoflow.scenarios.model.numbers import format_compact

__all__ = ["month_ticks", "nice_ticks", "tick_labels"]

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_STEPS = (1, 2, 3, 6)
_YEAR_STEPS = (1, 2, 3, 5, 10, 20, 50)
_MIN_SPAN = 1e-9
"""Value ranges narrower than this are drawn as 0..1: the data is zero in practice."""

_TICK_GAP = 2
"""Blank cells kept between neighbouring x tick labels."""


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 (times a power of ten) not below ``raw``."""
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        if multiple * base >= raw * (1 - 1e-12):
            return multiple * base
    return 10.0 * base  # pragma: no cover - the loop always returns


def nice_ticks(low: float, high: float, max_ticks: int) -> list[float]:
    """Round tick values covering ``[low, high]`` with at most ``max_ticks + 1`` ticks.

    The range is widened to include zero, so counts are read against a zero
    baseline. A range narrower than ``1e-9`` (all zeros, say) becomes one unit
    wide; non-finite bounds give ``[0, 1]``.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    low, high = min(low, high, 0.0), max(low, high, 0.0)
    if not math.isfinite(high - low):
        return sorted({low, 0.0, high})
    if high - low < _MIN_SPAN:
        high = low + 1.0
    intervals = max(1, max_ticks - 1)
    step = _nice_step((high - low) / intervals)
    # Values within a millionth of a step of a tick count as on it, so float
    # noise (or a -0.5 among millions) never adds a whole extra step.
    first = math.floor(low / step + 1e-6)
    last = math.ceil(high / step - 1e-6)
    # Twelve significant digits drop float noise such as 0.30000000000000004.
    ticks = [float(f"{k * step:.12g}") for k in range(first, last + 1)]
    return [0.0 if tick == 0 else tick for tick in ticks]


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """Human labels for tick values, falling back to more digits if two collide."""
    labels = [format_compact(tick) for tick in ticks]
    if len(set(labels)) < len(labels):
        labels = [f"{tick:.6g}" for tick in ticks]
    return labels


def _calendar_months(labels: Sequence[str]) -> list[int] | None:
    """The month (1-12) of every ``YYYY-MM`` label, or None when any label is not one."""
    months: list[int] = []
    for label in labels:
        match = _MONTH_LABEL.match(label)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            return None
        months.append(int(match.group(2)))
    return months


def month_ticks(labels: Sequence[str], canvas_width: int) -> tuple[list[int], list[str]]:
    """Pick x tick positions and labels that fit ``canvas_width`` cells without overlap.

    With ``YYYY-MM`` labels ticks fall every 1, 2 or 3 months, or on whole
    half-years (January and July); when those do not fit, the labels shrink
    to the year alone (``2024``) on January, every 1, 2, 3, 5... years. Other
    labels are thinned evenly. Returns month indices and texts.
    """
    count = len(labels)
    if count == 0 or canvas_width <= 0:
        return [], []
    if count == 1:
        return [0], [labels[0]]
    cells_per_month = max(canvas_width - 1, 1) / (count - 1)
    months = _calendar_months(labels)
    label_width = max(cell_len(label) for label in labels)

    def fits(step: int, width: int) -> bool:
        return step * cells_per_month >= width + _TICK_GAP

    if months is not None:
        for step in _MONTH_STEPS:
            if fits(step, label_width):
                positions = [i for i, month in enumerate(months) if (month - 1) % step == 0]
                if not positions:
                    positions = list(range(0, count, step))
                return positions, [labels[i] for i in positions]
        years = [label[:4] for label in labels]
        januaries = [i for i, month in enumerate(months) if month == 1]
        for step in _YEAR_STEPS:
            if fits(step * 12, 4):
                positions = [i for i in januaries if int(years[i]) % step == 0]
                if not positions:
                    positions = [0]
                return positions, [years[i] for i in positions]
        return [0], [years[0]]
    step = 1
    while not fits(step, label_width) and step < count:
        step += 1
    positions = list(range(0, count, step))
    return positions, [labels[i] for i in positions]
