"""A chart's legend: ``glyph label`` entries wrapped over a few rows, made compact when crowded."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from ammoflow.tui.render.cells import ELLIPSIS, Row, compose, elide
from ammoflow.tui.render.chart_data import ChartData, Mark
from ammoflow.tui.render.chart_plan import LEGEND, Plan, mark_code, mark_glyph

__all__ = ["Pieces", "legend_layout", "legend_rows", "wrap_entries"]

_SEPARATOR = "   "
_RUN_NAME_WIDTHS = (16, 12, 10)
"""The widths a run's name is cut to, in the middle, as the legend runs short of room."""

Pieces = list[tuple[str, str]]


def legend_rows(
    data: ChartData, plan: Plan, width: int, max_rows: int, marks: Sequence[tuple[int, Mark]] = ()
) -> list[Row]:
    """The legend's rows (see :func:`legend_layout`)."""
    return legend_layout(data, plan, width, max_rows, marks)[0]


def legend_layout(
    data: ChartData, plan: Plan, width: int, max_rows: int, marks: Sequence[tuple[int, Mark]] = ()
) -> tuple[list[Row], bool]:
    """Legend entries ``glyph label`` wrapped over at most ``max_rows`` rows: the series, then the marks shown.

    Entries are three spaces apart, or two when that is what lets every entry show. When
    even that is too wide, the marks come first under their short labels: a rule across the
    plot means nothing unnamed, while a series keeps its glyph and colour. Then the series
    take their short labels and each compared run is named once, its name cut shorter and
    shorter (:func:`_crowded_entries`). An entry that still does not fit is replaced by an
    ellipsis. Returns the rows and whether every entry is in them.
    """
    if max_rows <= 0 or not (data.series or marks):
        return [], not (data.series or marks)
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
        lines, complete = wrap_entries(named(True) + entries, width, max_rows, _SEPARATOR[:-1])
    for name_width in (None, *_RUN_NAME_WIDTHS):
        if complete:
            break
        crowded = _crowded_entries(data, plan, name_width)
        if crowded is not None:
            lines, complete = wrap_entries(named(True) + crowded, width, max_rows, _SEPARATOR[:-1])
    return [compose(pieces, width) for pieces in lines if pieces], complete


def _crowded_entries(data: ChartData, plan: Plan, name_width: int | None) -> list[Pieces] | None:
    """The series' entries where the legend is crowded: short labels, each run named once.

    Lines running together are named by the lines' glyphs (``≈ +=×``). A compared run's
    series share one entry, the glyphs of all its series (in the order of
    the current lines they follow) before the run's name, cut in the middle to
    ``name_width`` so that both ends stay ("Basel… (2)"), as the figures table cuts it.
    None when cutting would give two runs the same name: the legend must tell them apart.
    """
    entries: list[Pieces] = []
    runs: dict[int, Pieces] = {}
    names: set[str] = set()
    for index, item in enumerate(data.series):
        glyph = (plan.glyphs[index], plan.codes[index])
        if item.joins and all(0 <= j < len(plan.glyphs) for j in item.joins):
            entries.append([glyph, (" " + "=".join(plan.glyphs[j] for j in item.joins), LEGEND)])
            continue
        if item.kind != "baseline":
            entries.append([glyph, (" " + (item.short or item.label), LEGEND)])
            continue
        entry = runs.get(item.run)
        if entry is None:
            name = item.short or item.label
            name = name if name_width is None else elide(name, name_width)
            if name in names:
                return None
            names.add(name)
            entry = runs[item.run] = [(" " + name, LEGEND)]
            entries.append(entry)
        if glyph not in entry:
            entry.insert(len(entry) - 1, glyph)
    return entries


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
