"""A chart's legend: ``glyph label`` entries wrapped over one or two rows."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from ammoflow.tui.render.cells import ELLIPSIS, Row, compose
from ammoflow.tui.render.chart_data import ChartData, Mark
from ammoflow.tui.render.chart_plan import LEGEND, Plan, mark_code, mark_glyph

__all__ = ["Pieces", "legend_rows", "wrap_entries"]

_SEPARATOR = "   "

Pieces = list[tuple[str, str]]


def legend_rows(
    data: ChartData, plan: Plan, width: int, max_rows: int, marks: Sequence[tuple[int, Mark]] = ()
) -> list[Row]:
    """Legend entries ``glyph label`` wrapped over at most ``max_rows`` rows: the series, then the marks shown.

    Entries are three spaces apart, or two when that is what lets every entry show. When
    even that is too wide, the marks come first under their short labels: a rule across the
    plot means nothing unnamed, while a series keeps its glyph and colour. An entry that
    still does not fit is replaced by an ellipsis.
    """
    if max_rows <= 0 or not (data.series or marks):
        return []
    entries = [
        [(plan.glyphs[index], plan.codes[index]), (" " + item.label, LEGEND)] for index, item in enumerate(data.series)
    ]

    def named(short: bool) -> list[Pieces]:
        return [
            [
                (mark_glyph(index), mark_code(index)),
                (" " + (mark.short if short and mark.short else mark.label), LEGEND),
            ]
            for index, mark in marks
        ]

    lines, complete = wrap_entries(entries + named(False), width, max_rows, _SEPARATOR)
    if not complete:
        lines, complete = wrap_entries(entries + named(False), width, max_rows, _SEPARATOR[:-1])
    if not complete and marks:
        lines = wrap_entries(named(True) + entries, width, max_rows, _SEPARATOR[:-1])[0]
    return [compose(pieces, width) for pieces in lines if pieces]


def wrap_entries(
    entries: list[Pieces], width: int, max_rows: int, separator_text: str = _SEPARATOR
) -> tuple[list[Pieces], bool]:
    """Entries over rows ``width`` wide; whether all of them fitted in ``max_rows`` (an ellipsis ends them if not)."""
    lines: list[Pieces] = [[]]
    used = 0
    for entry in entries:
        entry_width = sum(cell_len(text) for text, _ in entry)
        separator = separator_text if lines[-1] else ""
        if lines[-1] and used + len(separator) + entry_width > width:
            if len(lines) == max_rows:
                lines[-1].append((separator_text + ELLIPSIS, LEGEND))
                return lines, False
            lines.append([])
            used = 0
            separator = ""
        lines[-1].extend([(separator, LEGEND), *entry])
        used += len(separator) + entry_width
    return lines, True
