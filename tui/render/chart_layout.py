"""A monthly chart laid out as rows of cells: title, unit, the plotext figure, legend.

plotext lays out the axes, tick labels and the data cells (through the one adapter,
:class:`~ammoflow.tui.render.plotext_canvas.Canvas`); its colourless output is coded
here cell by cell. Inside the plotting area each series' glyph maps back to its series
(:mod:`ammoflow.tui.render.chart_plan`); outside it box-drawing characters are the frame
and anything else is tick-label text, so the y tick labels (digits and ``k``/``M``/``B``)
and the x tick labels never collide with the series glyphs. The title, the unit line and
the legend are composed here, not by plotext, so they are styled exactly and never
overlap the data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ammoflow.tui.render.cells import BLANK, ELLIPSIS, Row, blank_row, compose
from ammoflow.tui.render.chart_data import ChartData, Mark, Series
from ammoflow.tui.render.chart_legend import legend_layout
from ammoflow.tui.render.chart_plan import (
    CURSOR,
    CURSOR_GLYPH,
    FRAME,
    NOTE,
    TICK,
    TITLE,
    UNIT,
    Plan,
    mark_code,
    mark_glyph,
    plan,
)
from ammoflow.tui.render.chart_readout import readout_rows
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.ticks import month_ticks, nice_ticks, tick_labels

__all__ = [
    "ERROR_NOTE",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "NO_DATA_NOTE",
    "TOO_SMALL_NOTE",
    "ChartLayout",
    "PlotArea",
    "chart_rows",
    "lay_out",
    "note_rows",
]

MIN_WIDTH = 20
"""Narrower than this the chart shows a note instead of a plot."""

MIN_HEIGHT = 5
"""Shorter than this the chart shows a note instead of a plot."""

TOO_SMALL_NOTE = "too small for chart"
TOO_SMALL_SHORT_NOTE = "too small"
NO_DATA_NOTE = "no data"
ERROR_NOTE = "chart could not be drawn"


def note_rows(note: str, width: int, height: int) -> list[Row]:
    """A blank block with ``note`` centred in it, shortened to fit."""
    rows = [blank_row(width) for _ in range(height)]
    if height <= 0 or width <= 0:
        return rows
    if len(note) > width and note == TOO_SMALL_NOTE:
        note = TOO_SMALL_SHORT_NOTE
    text = note if len(note) <= width else note[: width - 1] + ELLIPSIS
    left = (width - len(text)) // 2
    rows[(height - 1) // 2] = compose([(" " * left, BLANK), (text, NOTE)], width)
    return rows


class _Codes(dict[int, str]):
    """``str.translate`` table giving a style code for every character.

    Known glyphs map to their series, box-drawing characters to the frame,
    spaces to blank and anything else to tick text; unknown characters are
    remembered after the first lookup.
    """

    def __init__(self, glyph_codes: dict[str, str]) -> None:
        super().__init__({ord(glyph): code for glyph, code in glyph_codes.items()})
        self[ord(" ")] = BLANK

    def __missing__(self, key: int) -> str:
        code = FRAME if 0x2500 <= key <= 0x257F else TICK
        self[key] = code
        return code


_AXIS_CODES = _Codes({})

_CURSOR_DRAWN = "\ue000"
"""The cursor as plotext draws it: a private character no frame or series uses, shown as
:data:`~ammoflow.tui.render.chart_plan.CURSOR_GLYPH` once its cells are coded."""


def _finite(values: Iterable[float]) -> list[float]:
    return [value for value in values if not math.isnan(value)]


def _draw_series(canvas: Canvas, series: Series, glyph: str, *, edges_only: bool = False) -> None:
    """One series on the canvas; a point after a gap starts a new segment.

    A band is filled (with its upper edge: :func:`_figure_rows` draws both edges over every
    fill), or drawn as its two edges only when ``edges_only`` or when it is not ``filled``.
    """
    y = series.y
    xs = series.x if series.x is not None else tuple(float(i) for i in range(len(y)))
    high = series.y_high if series.kind == "band" else None
    kept = [
        i
        for i, (x, value) in enumerate(zip(xs, y, strict=False))
        if not (math.isnan(x) or math.isnan(value) or (high is not None and (i >= len(high) or math.isnan(high[i]))))
    ]
    breaks = [k for k in range(1, len(kept)) if kept[k] - kept[k - 1] > 1]
    px = [xs[i] for i in kept]
    if high is not None and (edges_only or not series.filled):
        canvas.line(px, [y[i] for i in kept], glyph, breaks=breaks)
        canvas.line(px, [high[i] for i in kept], glyph, breaks=breaks)
    elif high is not None:
        # Its edges are drawn over every fill afterwards (_figure_rows): the lower one not now.
        canvas.band(px, [y[i] for i in kept], [high[i] for i in kept], glyph, breaks=breaks, lower_edge=False)
    elif series.kind == "markers":
        canvas.markers(px, [y[i] for i in kept], glyph)
    else:
        canvas.line(px, [y[i] for i in kept], glyph, breaks=breaks)


def _x_range(n_months: int) -> tuple[float, float]:
    """The month positions the x axis spans."""
    return (-1.0, 1.0) if n_months <= 1 else (0.0, float(n_months - 1))


def shown_marks(data: ChartData, n_months: int) -> list[tuple[int, Mark]]:
    """The marks inside the x axis's span, with their index (which gives glyph and code).

    A mark outside the span (the present after the horizon ends, say) is neither drawn nor
    named in the legend: the legend never names what the plot does not show.
    """
    low, high = _x_range(n_months)
    return [(i, mark) for i, mark in enumerate(data.marks) if not math.isnan(mark.x) and low <= mark.x <= high]


def _figure_rows(
    canvas: Canvas,
    data: ChartData,
    chart_plan: Plan,
    size: tuple[int, int],
    n_months: int,
    y_ticks: tuple[Sequence[float], Sequence[str]],
    x_ticks: tuple[Sequence[int], Sequence[str]],
    cursor: int | None = None,
) -> list[str]:
    """The plotext figure at ``size`` (width, height) as colourless rows.

    Every band's fill is drawn first (wider under narrower), then every band's edges over
    all the fills, so that where two series' bands overlap each one's extent stays in sight.
    Marks and the cursor come next, over the bands and under every other series: a rule
    stays visible through a band, and never hides a line or an observation. Compared runs,
    lines and observations follow, on top of every band.
    """
    canvas.start(*size)
    canvas.open_frame()
    canvas.x_range(*_x_range(n_months))
    canvas.x_ticks(x_ticks[0], x_ticks[1])
    bottom, top = y_ticks[0][0], y_ticks[0][-1]
    canvas.y_range(bottom, top)
    canvas.y_ticks(*y_ticks)
    rules = [(float(mark.x), mark_glyph(mark_index)) for mark_index, mark in shown_marks(data, n_months)]
    if cursor is not None:
        rules.append((float(cursor), _CURSOR_DRAWN))
    bands = [index for index in chart_plan.order if data.series[index].kind == "band"]
    for index in bands:
        if data.series[index].filled:
            _draw_series(canvas, data.series[index], chart_plan.glyphs[index])
    for index in bands:
        _draw_series(canvas, data.series[index], chart_plan.glyphs[index], edges_only=True)
    for x, glyph in rules:
        canvas.line([x, x], [bottom, top], glyph)
    for index in chart_plan.order:
        if data.series[index].kind != "band":
            _draw_series(canvas, data.series[index], chart_plan.glyphs[index])
    return canvas.rows()


class _Figure:
    """The plotext figure ``height`` rows tall, drawn as :func:`_figure_rows` draws it, and its measures."""

    def __init__(
        self,
        canvas: Canvas,
        data: ChartData,
        chart_plan: Plan,
        width: int,
        height: int,
        n_months: int,
        cursor: int | None,
    ) -> None:
        self.height = height
        self.values: list[float] = []
        for item in data.series:
            self.values.extend(_finite(item.y))
            if item.y_high is not None:
                self.values.extend(_finite(item.y_high))
        canvas_height = max(height - 2, 1)
        max_ticks = max(2, min(8, canvas_height // 3 + 1))
        y_ticks = nice_ticks(min(self.values, default=0.0), max(self.values, default=1.0), max_ticks)
        y_labels = tick_labels(y_ticks)
        self.label_width = max(len(label) for label in y_labels)
        self.canvas_width = width - self.label_width - 1
        x_ticks = month_ticks(data.x_labels, self.canvas_width)
        self.rows = _figure_rows(
            canvas, data, chart_plan, (width, height), n_months, (y_ticks, y_labels), x_ticks, cursor
        )
        self.axis_row = height - 2

    def glyphs(self) -> set[str]:
        """Every character drawn inside the plot, above the x axis."""
        return set("".join(self.rows[: max(self.axis_row, 0)]))


@dataclass(frozen=True)
class PlotArea:
    """Where a laid-out chart put its months: the cells a pointer can pick a month in.

    The rows ``top`` to ``bottom`` (exclusive) hold the plot and, under it, the x axis and its
    month labels; the columns from ``left`` to ``right`` (exclusive) span the months, month
    ``i`` at column ``left + round(i * (right - left - 1) / (months - 1))``, as plotext places
    the points of an x range from the first month to the last over those columns.
    """

    top: int
    bottom: int
    left: int
    right: int
    months: int

    def month_at(self, x: int, y: int) -> int | None:
        """The month drawn at column ``x`` of row ``y``: the nearest one, or None outside the plot."""
        if not (self.top <= y < self.bottom and self.left <= x < self.right) or self.months <= 0:
            return None
        if self.months == 1:
            return 0
        cells_per_month = max(self.right - self.left - 1, 1) / (self.months - 1)
        return min(max(round((x - self.left) / cells_per_month), 0), self.months - 1)


@dataclass(frozen=True)
class ChartLayout:
    """A chart's rows and where its plot lies among them (None when no plot is drawn)."""

    rows: list[Row]
    plot: PlotArea | None


def chart_rows(data: ChartData | None, width: int, height: int, canvas: Canvas, cursor: int | None = None) -> list[Row]:
    """Every row of the chart at ``width`` x ``height`` cells, drawn on ``canvas`` (see :func:`lay_out`)."""
    return lay_out(data, width, height, canvas, cursor).rows


def lay_out(data: ChartData | None, width: int, height: int, canvas: Canvas, cursor: int | None = None) -> ChartLayout:
    """Every row of the chart at ``width`` x ``height`` cells, drawn on ``canvas``, and its plot area.

    With a ``cursor`` (a month index) a rule marks that month and a readout under the title
    gives every series' value there (:mod:`ammoflow.tui.render.chart_readout`). The plot area
    maps a cell back to the month drawn there, so a click picks the month under the pointer
    with the geometry the drawing used.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return ChartLayout(note_rows(TOO_SMALL_NOTE, width, height), None)
    if data is None:
        return ChartLayout(note_rows(NO_DATA_NOTE, width, height), None)
    chart_plan = plan(data.series)

    rows: list[Row] = []
    unit_row = bool(data.y_unit) and height >= 12
    if data.title or data.y_unit:
        pieces = [(data.title, TITLE)]
        if data.y_unit and not unit_row:
            pieces.append(((" " if data.title else "") + f"({data.y_unit})", UNIT))
        rows.append(compose(pieces, width))
    n_months = max([len(data.x_labels)] + [len(s.y) for s in data.series if s.x is None])
    if cursor is not None:
        cursor = min(max(cursor, 0), n_months - 1) if n_months else None
    if cursor is not None and data.x_labels:
        # The readout says the unit: no unit row beside it.
        unit_row = False
        rows[-1:] = [compose([(data.title, TITLE)], width)] if data.title else []
        # Up to four rows where the plot keeps room (two series with their bands, at 120x40);
        # the readout takes only the rows it needs.
        rows.extend(readout_rows(data, chart_plan, cursor, width, max_rows=4 if height >= 20 else 2))
    if unit_row:
        rows.append(compose([(data.y_unit, UNIT)], width))
    available = height - len(rows)
    marks = shown_marks(data, n_months)
    # A third legend row only where the plot keeps ten rows: the marks and the observations'
    # shapes make legends long, and an entry cut off leaves a glyph unexplained.
    legend, complete = legend_layout(data, chart_plan, width, max_rows=3, marks=marks)
    if not complete and available - 4 >= 9:
        # A crowded legend (three compared runs at 80x24) takes a fourth row while the plot
        # keeps seven: a glyph left unnamed makes its line unreadable.
        legend, complete = legend_layout(data, chart_plan, width, max_rows=4, marks=marks)
    elif len(legend) > 2 and available - len(legend) < 10:
        legend, complete = legend_layout(data, chart_plan, width, max_rows=2, marks=marks)
    if len(legend) > 1 and available - len(legend) < 8:
        legend, complete = legend_layout(data, chart_plan, width, max_rows=1, marks=marks)
    if available - len(legend) < 4:
        legend, complete = [], True
    figure = _Figure(canvas, data, chart_plan, width, available - len(legend), n_months, cursor)
    if not complete:
        # Still cut short: the legend names what the chart shows (in its plot or its readout)
        # in as few rows as do it, taking them from the plot while it keeps two rows
        # (docs/model.md, "Consistent or not": an observation's shape and fill are its claim
        # and verdict). What the plot shows depends on its height: it is drawn at each.
        readout = set("".join(text for text, _ in rows))
        for max_rows in range(1, available - 3):
            named, complete = legend_layout(data, chart_plan, width, max_rows, marks)
            drawn = figure
            if drawn.height != available - max_rows:
                drawn = _Figure(canvas, data, chart_plan, width, available - max_rows, n_months, cursor)
            if not complete:
                named, complete = legend_layout(data, chart_plan, width, max_rows, marks, readout | drawn.glyphs())
            if complete:
                legend, figure = named, drawn
                break
        else:
            # No height names everything: the rows it has name what this plot shows first.
            legend = legend_layout(data, chart_plan, width, len(legend), marks, readout | figure.glyphs())[0]
    fig_height, figure_rows, axis_row = figure.height, figure.rows, figure.axis_row
    label_width, canvas_width, values = figure.label_width, figure.canvas_width, figure.values

    glyph_codes = {mark_glyph(i): mark_code(i) for i, _ in marks}
    glyph_codes[_CURSOR_DRAWN] = CURSOR
    glyph_codes.update({chart_plan.glyphs[i]: chart_plan.codes[i] for i in range(len(data.series))})
    series_codes = _Codes(glyph_codes)
    left = label_width + 1
    plot = PlotArea(len(rows), min(len(rows) + fig_height, height), left, left + canvas_width, n_months)
    for index in range(fig_height):
        line = figure_rows[index] if index < len(figure_rows) else ""
        line = line[:width].ljust(width)
        table = series_codes if index < axis_row else _AXIS_CODES
        codes = line.translate(table)
        rows.append((line.replace(_CURSOR_DRAWN, CURSOR_GLYPH), codes))
    if not values:
        top = len(rows) - fig_height
        middle = top + max(axis_row, 1) // 2
        text, codes = rows[middle]
        start = label_width + 1 + max(0, (canvas_width - len(NO_DATA_NOTE)) // 2)
        end = min(start + len(NO_DATA_NOTE), width)
        note = NO_DATA_NOTE[: end - start]
        rows[middle] = (
            text[:start] + note + text[end:],
            codes[:start] + NOTE * len(note) + codes[end:],
        )
    rows.extend(legend)
    while len(rows) < height:
        rows.append(blank_row(width))
    return ChartLayout(rows[:height], plot)
