"""Key figures: this scenario, the pinned baseline and the difference."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ammoflow.scenarios.model.figures import BY_KEY, FIGURES, KeyFigures, format_difference, format_figure
from ammoflow.scenarios.model.numbers import format_compact_figure

# Shorter labels for the compact layout (two figures a line at 80 columns).
SHORT = {
    "containers_shipped": "Containers",
    "rounds_shipped": "Rounds",
    "nk_reserve_month": "NK at reserve",
    "first_shortfall_month": "RU shortfall",
    "total_shortfall": "Shortfall",
    "average_fired_per_day": "Fired/day",
    "nk_share_of_supply": "NK share",
    "food_tonnes": "Food",
}


# What a small terminal shows under the chart: when the flow stops and what it costs.
HEADLINE = ("nk_reserve_month", "first_shortfall_month", "total_shortfall", "nk_share_of_supply")


def _short(key: str, value: float | str | None) -> str:
    """A figure for a narrow panel: a count shortened (``1.23M``, ``5,495/d``), "beyond" the horizon."""
    kind = BY_KEY[key].kind
    if kind in ("month", "share") or value is None:
        return format_figure(key, value).replace("not within horizon", "beyond")
    return format_compact_figure(float(value)) + ("/d" if kind == "rounds/day" else "")


class KeyFiguresView(Widget):
    """Headline numbers; a full table when there is room, two figures a line when not."""

    DEFAULT_CSS = """
    KeyFiguresView { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._current: KeyFigures | None = None
        self._baseline: KeyFigures | None = None
        self.compact = False

    def show(self, current: KeyFigures, baseline: KeyFigures | None) -> None:
        if (current, baseline) == (self._current, self._baseline):
            return
        # The height only changes when a baseline appears or goes; skip the reflow otherwise.
        reflow = (baseline is None) != (self._baseline is None) or self._current is None
        self._current, self._baseline = current, baseline
        self.refresh(layout=reflow)

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(HEADLINE) if self.compact else len(FIGURES) + 1

    def render(self) -> Text:
        current, baseline = self._current, self._baseline
        if current is None:
            return Text("computing…", style="dim")
        if self.compact:
            return self._compact(current, baseline)
        return self._table(current, baseline)

    def _table(self, current: KeyFigures, baseline: KeyFigures | None) -> Text:
        """Aligned columns as one Text: a Rich Table costs several times more to render on every step."""
        header = ["Key figure", "this"] + (["baseline", "change"] if baseline is not None else [])
        rows = []
        for figure in FIGURES:
            value = current.value(figure.key)
            label = figure.label if figure.kind in ("month", "share") else f"{figure.label}, {figure.kind}"
            cells = [label, format_figure(figure.key, value, unit=False)]
            if baseline is not None:
                before = baseline.value(figure.key)
                cells += [format_figure(figure.key, before, unit=False), format_difference(figure.key, before, value)]
            rows.append(cells)
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        gaps = 2 * (len(widths) - 1)
        # The label column takes what is left, shortened with an ellipsis when the pane is narrow.
        widths[0] = max(8, self.size.width - sum(widths[1:]) - gaps) if self.size.width else widths[0]
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        styles = ["bold", "", "dim", "italic"]
        for number, cells in enumerate([header, *rows]):
            if number:
                text.append("\n")
            for i, cell in enumerate(cells):
                if i == 0 and len(cell) > widths[0]:
                    cell = cell[: widths[0] - 1] + "…"
                padded = cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                style = "bold underline" if number == 0 else styles[i]
                text.append(("  " if i else "") + padded, style=style)
        return text

    def _compact(self, current: KeyFigures, baseline: KeyFigures | None) -> Text:
        """The headline figures, one a line, for small terminals (the Figures tab has them all)."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        width = max(len(SHORT[key]) for key in HEADLINE)
        for i, key in enumerate(HEADLINE):
            value = current.value(key)
            if i:
                text.append("\n")
            text.append(SHORT[key].ljust(width + 1), style="bold")
            text.append(_short(key, value))
            if baseline is not None:
                change = format_difference(key, baseline.value(key), value)
                if change:
                    text.append(f"  {change}", style="italic")
        return text
