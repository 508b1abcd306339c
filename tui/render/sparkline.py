"""A path over months as one line of block characters: a schedule small enough to sit beside its name."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["BARS", "sparkline"]

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], width: int) -> str:
    """``values`` in at most ``width`` characters, lowest value ▁, highest █.

    With more values than characters each character shows the last value of its share of
    the months, so a step lands in the character whose months it ends in. A path that
    never moves is drawn at mid height: no change is not a fall to the bottom.
    """
    if not values or width <= 0:
        return ""
    columns = min(width, len(values))
    picked = [values[((i + 1) * len(values)) // columns - 1] for i in range(columns)]
    low, high = min(values), max(values)
    if high == low:
        return BARS[len(BARS) // 2 - 1] * columns
    top = len(BARS) - 1
    return "".join(BARS[round((v - low) / (high - low) * top)] for v in picked)
