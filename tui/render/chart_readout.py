"""The cursor's readout: the month under the cursor and every series' value there.

A chart is read by eye to a tick's precision; the readout gives the numbers. It names each
series by its legend glyph and label, so the reader matches value to line without colour,
and gives a band's edges (and median, when known) rather than one value. Numbers come from
:func:`~ammoflow.scenarios.model.numbers.format_compact_table`, the tables' short form.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ammoflow.scenarios.model.numbers import format_compact_table
from ammoflow.tui.render.cells import Row, compose
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_legend import Pieces, wrap_entries
from ammoflow.tui.render.chart_plan import CURSOR, LEGEND, TITLE, UNIT, Plan

__all__ = ["NO_VALUE", "readout_rows", "series_value"]

NO_VALUE = "–"
"""What the readout shows for a series with no value at the cursor's month."""


def _number(value: float) -> str:
    return NO_VALUE if math.isnan(value) else format_compact_table(value)


def _at(values: Sequence[float] | None, index: int) -> float:
    return values[index] if values is not None and 0 <= index < len(values) else math.nan


def series_value(series: Series, index: int) -> str:
    """What ``series`` reads at month ``index``: a value, a band's range, or the observations there.

    Markers sit at fractional month positions (a dated figure inside its month): those within
    the month ending at ``index`` are read, in order; none gives :data:`NO_VALUE`.
    """
    if series.kind == "markers":
        xs = series.x if series.x is not None else tuple(float(i) for i in range(len(series.y)))
        found = [y for x, y in zip(xs, series.y, strict=False) if index - 1 < x <= index and not math.isnan(y)]
        return ", ".join(_number(y) for y in found) if found else NO_VALUE
    low = _at(series.y, index)
    if series.kind == "band":
        high = _at(series.y_high, index)
        if math.isnan(low) or math.isnan(high):
            return NO_VALUE
        text = f"{_number(low)}–{_number(high)}"
        middle = _at(series.y_mid, index)
        return text if math.isnan(middle) else f"{text} (median {_number(middle)})"
    return _number(low)


def readout_rows(data: ChartData, plan: Plan, index: int, width: int, max_rows: int) -> list[Row]:
    """The readout at month ``index`` over at most ``max_rows`` rows ``width`` wide.

    It starts with the month and the unit; each series follows as ``glyph label value``,
    or as ``glyph value`` when the labels do not fit (the legend names the glyphs), the lines
    before the bands. A series
    with a glyph of its own and nothing in the month is left out: it is drawn only where
    something holds (an observation, two lines running together).
    """
    if max_rows <= 0 or not data.x_labels:
        return []
    index = min(max(index, 0), len(data.x_labels) - 1)
    head: Pieces = [("▸ ", CURSOR), (data.x_labels[index], TITLE)]
    if data.y_unit:
        head.append((f" {data.y_unit}", UNIT))
    values = [series_value(item, index) for item in data.series]
    shown = [
        (i, item, value)
        for i, (item, value) in enumerate(zip(data.series, values, strict=True))
        if item.glyph is None or value != NO_VALUE
    ]
    # The lines' values first, the bands' ranges after: where room runs out, the values stay.
    shown.sort(key=lambda entry: entry[1].kind == "band")

    def entries(named: bool) -> list[Pieces]:
        return [head] + [
            [(plan.glyphs[i], plan.codes[i]), ((f" {item.label} " if named else " ") + value, LEGEND)]
            for i, item, value in shown
        ]

    lines, complete = wrap_entries(entries(True), width, max_rows)
    if not complete:
        lines = wrap_entries(entries(False), width, max_rows, "  ")[0]
    return [compose(pieces, width) for pieces in lines if pieces]
