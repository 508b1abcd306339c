"""A chart's legend: ``glyph label`` entries wrapped over a few rows, made compact when crowded."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

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
    data: ChartData,
    plan: Plan,
    width: int,
    max_rows: int,
    marks: Sequence[tuple[int, Mark]] = (),
    shown: Container[str] | None = None,
) -> tuple[list[Row], bool]:
    """Legend entries ``glyph label`` wrapped over at most ``max_rows`` rows: the series, then the marks shown.

    Entries are three spaces apart, or two when that is what lets every entry show. When
    even that is too wide, the marks come first under their short labels: a rule across the
    plot means nothing unnamed, while a series keeps its glyph and colour. Then the series
    take their short labels and each compared run is named once, its name cut shorter and
    shorter (:func:`_crowded_entries`), and at last each entry goes to the first row with
    room for it. When that is still too much and ``shown`` holds the glyphs the chart shows,
    the entries of glyphs it does not show (an observation hidden under another) are left
    out, so that they push out none that it does. An entry that still does not fit is
    replaced by an ellipsis. Returns the rows and whether every entry (of a glyph shown) is
    in them.
    """
    if max_rows <= 0 or not (data.series or marks):
        return [], not (data.series or marks)
    lines, complete = _wrapped(data, plan, width, max_rows, marks, range(len(data.series)))
    if not complete and shown is not None:
        kept = {index for index, glyph in enumerate(plan.glyphs[: len(data.series)]) if glyph in shown}
        kept.update(joined for index in list(kept) for joined in data.series[index].joins)
        marks = [(index, mark) for index, mark in marks if mark_glyph(index) in shown]
        lines, complete = _wrapped(data, plan, width, max_rows, marks, sorted(kept))
    return [compose(pieces, width) for pieces in lines if pieces], complete


def _wrapped(
    data: ChartData,
    plan: Plan,
    width: int,
    max_rows: int,
    marks: Sequence[tuple[int, Mark]],
    kept: Sequence[int],
) -> tuple[list[Pieces], bool]:
    """The entries of the series ``kept`` and of ``marks``, each way of :func:`legend_layout` tried in turn."""
    entries = [[(plan.glyphs[index], plan.codes[index]), (" " + data.series[index].label, LEGEND)] for index in kept]

    def named(short: bool) -> list[Pieces]:
        return [
            [
                (mark_glyph(index), mark_code(index)),
                (" " + (mark.short if short and mark.short else mark.label), LEGEND),
            ]
            for index, mark in marks
        ]

    if not (entries or marks):
        return [], True
    lines, complete = wrap_entries(entries + named(False), width, max_rows, _SEPARATOR)
    if not complete:
        lines, complete = wrap_entries(entries + named(False), width, max_rows, _SEPARATOR[:-1])
    compact = entries + named(False)
    if not complete and marks:
        compact = named(True) + entries
        lines, complete = wrap_entries(compact, width, max_rows, _SEPARATOR[:-1])
    for name_width in (None, *_RUN_NAME_WIDTHS):
        if complete:
            break
        crowded = _crowded_entries(data, plan, name_width, kept)
        if crowded is not None:
            compact = named(True) + crowded
            lines, complete = wrap_entries(compact, width, max_rows, _SEPARATOR[:-1])
    if not complete:
        packed = _first_fit(compact, width, max_rows, _SEPARATOR[:-1])
        if packed is not None:
            lines, complete = packed, True
    return lines, complete


def _first_fit(entries: list[Pieces], width: int, max_rows: int, separator: str) -> list[Pieces] | None:
    """Each entry in the first of ``max_rows`` rows with room for it, or None when one finds none.

    Wrapping in order leaves the end of each row empty when the next entry is long; a
    short entry further on often fits there, and a legend that names every glyph out of
    order reads better than one cut off in order.
    """
    lines: list[Pieces] = []
    used: list[int] = []
    for entry in entries:
        entry_width = sum(cell_len(text) for text, _ in entry)
        row = next((i for i, taken in enumerate(used) if taken + len(separator) + entry_width <= width), None)
        if row is not None:
            lines[row].extend([(separator, LEGEND), *entry])
            used[row] += len(separator) + entry_width
        elif len(lines) < max_rows and entry_width <= width:
            lines.append(list(entry))
            used.append(entry_width)
        else:
            return None
    return lines


def _crowded_entries(
    data: ChartData, plan: Plan, name_width: int | None, kept: Iterable[int] | None = None
) -> list[Pieces] | None:
    """The series' entries where the legend is crowded: short labels, each run named once.

    Lines running together are named by the lines' glyphs (``≈ +=×``). A compared run's
    series share one entry, the glyphs of all its series (in the order of
    the current lines they follow) before the run's name, cut in the middle to
    ``name_width`` so that both ends stay ("Basel… (2)"), as the figures table cuts it.
    None when cutting would give two runs the same name: the legend must tell them apart.
    Only the series ``kept`` are named (every one when None).
    """
    entries: list[Pieces] = []
    runs: dict[int, Pieces] = {}
    names: set[str] = set()
    for index in range(len(data.series)) if kept is None else kept:
        item = data.series[index]
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
    """Entries over rows ``width`` wide; whether all fitted whole in ``max_rows`` (an ellipsis ends them if not).

    An entry wider than a row is cut where the row ends: it did not fit.
    """
    lines: list[Pieces] = [[]]
    used = 0
    whole = True
    for entry in entries:
        entry_width = sum(cell_len(text) for text, _ in entry)
        whole = whole and entry_width <= width
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
    return lines, whole
