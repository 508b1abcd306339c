"""Key figures: this scenario beside the runs it is compared with (the baseline first), and the change.

The table fits the pane it is given: full values and labels when there is room; then short
values (``1.17M``) and short labels; then fewer columns, keeping, in this order, the
scenario's own values, the bands' range, the chosen compared run, the change against it and
the other compared runs. At 80x24 that is the whole table with one compared run; ``v`` in the
explorer chooses which one (see docs/model.md, "Key figures", for what each figure is).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ammoflow.scenarios.model.figures import BY_KEY, FIGURES, KeyFigures, format_difference, format_figure
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.numbers import format_compact_figure, format_count_range, format_share, format_tenths

# Short labels (13 cells at most), each saying what it counts: "RU short from" is the month Russia
# first runs short, "Short, total" the rounds it lacks over the horizon.
SHORT = {
    "containers_shipped": "Containers",
    "rounds_shipped": "Rounds",
    "nk_reserve_month": "NK at reserve",
    "first_shortfall_month": "RU short from",
    "total_shortfall": "Short, total",
    "average_fired_per_day": "Fired a day",
    "nk_share_of_supply": "NK share",
    "food_tonnes": "Food, tonnes",
    "shortfall_next_12_months": "Short, 12 mo",
    "nk_stock_as_of": "NK stock",  # the header says "as of" which month
    "ru_stock_as_of": "RU stock",
    "nk_months_of_fire": "Fire from NK",
}
assert set(SHORT) == set(BY_KEY), "every key figure has a short label"

# What a small terminal shows under the chart: when the flow stops and what it costs.
HEADLINE = ("nk_reserve_month", "first_shortfall_month", "total_shortfall", "nk_share_of_supply")
GAP = 2
SHORTER = ((" months", " mo"), (" month", " mo"), (" pts", "pt"), ("not reached", "none"), ("now ", ""))

# A figure's spread over the bands' runs: (p5, p50, p95); month figures as months from the start.
Range = tuple[float, float, float]


@attrs.frozen
class Compared:
    """A run the scenario is compared with, by name: the baseline or one of the kept runs."""

    name: str
    figures: KeyFigures


def short_value(key: str, value: float | str | None) -> str:
    """A figure in few cells: a count shortened (``1.23M``), a month or a share as it is."""
    kind = BY_KEY[key].kind
    if kind in ("month", "share", "months") or value is None:
        return format_figure(key, value, unit=False)
    return format_compact_figure(float(value))


def short_change(key: str, before: float | str | None, after: float | str | None) -> str:
    """The change in few cells: counts shortened, ``+14 mo`` for months."""
    change = format_difference(key, before, after)
    kind = BY_KEY[key].kind
    if kind in ("month", "share", "months") or not change or before is None or after is None:
        # Few cells: "+14 mo", "+1.4pt", "none" (not reached), the month a figure now reaches.
        for long, short in SHORTER:
            change = change.replace(long, short)
        return change
    delta = float(after) - float(before)
    return ("+" if delta > 0 else "") + format_compact_figure(delta)


def range_text(key: str, spread: Range | None, months: tuple[int, int] | None, *, short: bool) -> str:
    """p5 to p95 of a figure over the bands' runs: ``8.48M–18.4M``, ``24-11–25-09``, ``48.2–52.0%``.

    Counts at three significant digits in both widths (:func:`format_count_range`); ``short``
    shortens month labels to ``YY-MM``.
    """
    if spread is None or any(math.isnan(v) for v in spread):
        return ""
    low, _, high = spread
    kind = BY_KEY[key].kind
    if kind == "month":
        if months is None:
            return ""
        start, horizon = months

        def month(offset: float) -> str:
            if offset >= horizon:
                return "none"
            label = format_month(start + int(offset))
            return label[2:] if short else label

        return f"{month(low)}–{month(high)}"
    if kind == "share":
        return f"{format_share(low).rstrip('%')}–{format_share(high)}"
    if kind == "months":
        return f"{format_tenths(low)}–{format_tenths(high)}"
    return format_count_range(low, high)  # as short in either width: a spread's last digits are noise


@attrs.frozen
class _Column:
    header: str
    full: tuple[str, ...]
    short: tuple[str, ...]
    style: str


def _fit(header: str, cells: Sequence[str]) -> str:
    """A run's name cut to its values' width (at least 8 cells), so a long name does not widen the table."""
    room = max(8, *(len(c) for c in cells)) if cells else 8
    if len(header) <= room:
        return header
    # Cut in the middle: runs kept from one scenario differ at the end ("Baseline (2)").
    head = room // 2
    return header[:head] + "…" + header[len(header) - (room - head - 1) :]


def columns(
    current: KeyFigures,
    compared: Sequence[Compared],
    chosen: int,
    ranges: Mapping[str, Range] | None,
    months: tuple[int, int] | None,
) -> list[_Column]:
    """Every column the table could show, in the order they are given up when room runs short."""
    keys = [f.key for f in FIGURES]
    out = [
        _Column(
            "this",
            tuple(format_figure(k, current.value(k), unit=False) for k in keys),
            tuple(short_value(k, current.value(k)) for k in keys),
            "",
        )
    ]
    if ranges:
        full = tuple(range_text(k, ranges.get(k), months, short=False) for k in keys)
        out.append(_Column("p5–p95", full, tuple(range_text(k, ranges.get(k), months, short=True) for k in keys), ""))
    if not compared:
        return out
    chosen %= len(compared)
    order = [compared[chosen]] + [c for i, c in enumerate(compared) if i != chosen]
    for number, run in enumerate(order):
        full = tuple(format_figure(k, run.figures.value(k), unit=False) for k in keys)
        short = tuple(short_value(k, run.figures.value(k)) for k in keys)
        out.append(_Column(_fit(run.name, short), full, short, "dim"))
        if number == 0:
            before = [run.figures.value(k) for k in keys]
            after = [current.value(k) for k in keys]
            out.append(
                _Column(
                    "change",
                    tuple(format_difference(k, b, a) for k, b, a in zip(keys, before, after, strict=True)),
                    tuple(short_change(k, b, a) for k, b, a in zip(keys, before, after, strict=True)),
                    "italic",
                )
            )
    return out


def full_label(key: str) -> str:
    figure = BY_KEY[key]
    return figure.label if figure.kind in ("month", "share") else f"{figure.label}, {figure.kind}"


def layout(cols: Sequence[_Column], width: int, as_of: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The labels, the cells of each shown column (header first) and their styles, for ``width`` cells.

    The most columns that fit win; at that many, full values before short ones, full labels
    before short ones. When nothing fits, the scenario's short values alone, labels cut.
    """
    keys = [f.key for f in FIGURES]
    header = f"as of {as_of}"
    full_labels = [header] + [full_label(k) for k in keys]
    short_labels = [header] + [SHORT[k] for k in keys]
    for count in range(len(cols), 0, -1):
        for form in ("full", "short"):
            shown = [[c.header, *(c.full if form == "full" else c.short)] for c in cols[:count]]
            need = sum(max(len(cell) for cell in cells) + GAP for cells in shown)
            for labels in (full_labels, short_labels):
                if need + max(len(label) for label in labels) <= width:
                    return labels, shown, [c.style for c in cols[:count]]
    return short_labels, [[cols[0].header, *cols[0].short]], [cols[0].style]


class KeyFiguresView(Widget):
    """Headline numbers; a full table when there is room, the headline figures a line each when not."""

    DEFAULT_CSS = """
    KeyFiguresView { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._current: KeyFigures | None = None
        self._compared: tuple[Compared, ...] = ()
        self._chosen = 0
        self._ranges: Mapping[str, Range] | None = None
        self._months: tuple[int, int] | None = None
        self.compact = False
        self._stale = False  # changed while hidden: repainted when next drawn

    def show(
        self,
        current: KeyFigures,
        compared: Sequence[Compared] = (),
        *,
        chosen: int = 0,
        ranges: Mapping[str, Range] | None = None,
        months: tuple[int, int] | None = None,
    ) -> None:
        """``compared``: the baseline and the kept runs; ``chosen`` the one the change is against.

        ``ranges``: the bands' p5/p50/p95 of each figure (month figures as months from
        ``months[0]``, an absolute month, with ``months[1]`` the horizon: "none" from there).
        """
        state = (current, tuple(compared), chosen, ranges, months)
        if state == (self._current, self._compared, self._chosen, self._ranges, self._months):
            return
        # The compact view's height is fixed; the table's only changes with the figures' count.
        reflow = self._current is None
        self._current, self._compared, self._chosen, self._ranges, self._months = state
        if reflow or all(node.display for node in self.ancestors_with_self):
            self.refresh(layout=reflow)
        else:
            # In a tab not shown (the Figures tab's table): a repaint asked for now would make
            # Textual map the whole screen again on every step, as for a widget just added,
            # which costs more than the step's own drawing. Painted when the tab is shown.
            self._stale = True

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._stale:  # back on screen after changing while hidden: the lines kept are old
            self._stale = False
            self.refresh()
        return super().render_lines(crop)

    @property
    def text(self) -> str:
        """What the view shows, as plain text (for scripts and tests)."""
        return self.render().plain

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]  # Textual's untyped hook
        return len(HEADLINE) if self.compact else len(FIGURES) + 1

    def render(self) -> Text:
        current = self._current
        if current is None:
            return Text("computing…", style="dim")
        if self.compact:
            return self._compact(current)
        return self._table(current)

    def _table(self, current: KeyFigures) -> Text:
        """Aligned columns as one Text: a Rich Table costs several times more to render on every step."""
        cols = columns(current, self._compared, self._chosen, self._ranges, self._months)
        width = self.size.width or 200
        labels, shown, styles = layout(cols, width, current.as_of)
        widths = [max(len(cell) for cell in cells) for cells in shown]
        label_width = min(max(len(label) for label in labels), max(8, width - sum(widths) - GAP * len(widths)))
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for row, label in enumerate(labels):
            if row:
                text.append("\n")
            if len(label) > label_width:
                label = label[: label_width - 1] + "…"
            text.append(label.ljust(label_width), style="bold underline" if row == 0 else "bold")
            for cells, size, style in zip(shown, widths, styles, strict=True):
                text.append(" " * GAP + cells[row].rjust(size), style="bold underline" if row == 0 else style)
        return text

    def _compact(self, current: KeyFigures) -> Text:
        """The headline figures, one a line, for small terminals (the Figures tab has them all)."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        width = max(len(SHORT[key]) for key in HEADLINE)
        chosen = self._compared[self._chosen % len(self._compared)] if self._compared else None
        for i, key in enumerate(HEADLINE):
            value = current.value(key)
            if i:
                text.append("\n")
            text.append(SHORT[key].ljust(width + 1), style="bold")
            text.append(short_value(key, value))
            if chosen is not None:
                change = short_change(key, chosen.figures.value(key), value)
                if change:
                    text.append(f"  {change}", style="italic")
        return text


def months_of(start: str, horizon: int) -> tuple[int, int]:
    """The ``months`` argument of :meth:`KeyFiguresView.show` for a scenario starting at ``start``."""
    return parse_month(start), horizon
