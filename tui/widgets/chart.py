"""A generic monthly chart widget: shows a :class:`ChartData`, knows nothing of the model.

The drawing is pure and lives in :mod:`ammoflow.tui.render`: the rows of cells come from
:func:`~ammoflow.tui.render.chart_layout.chart_rows`, and each row is painted by the one
renderer, :func:`~ammoflow.tui.render.segments.row_segments`. What is left here is what
needs an app: the theme's colours and the repaint of what changed.

Why a Line-API widget
---------------------
Every row is kept as a pair of strings (text, one style code per cell).
``show()`` rebuilds the rows, compares them with the previous ones and
refreshes only the span of columns that changed in each changed row. Textual
sends just those regions to the terminal, so a small step of one slider costs
a fraction of a full repaint. Each row becomes a
:class:`~textual.strip.Strip` with one segment per run of equally styled
cells (blank cells joining a neighbouring run), which keeps escape sequences
few.

Colours come from the app theme (``primary``, ``warning``, ``success``,
``error``, ``accent``, ``secondary``; muted tones are the foreground blended
into the background) and are recomputed on ``App.theme_changed_signal``. With
ANSI themes, where blending is meaningless, muted tones use ``dim`` instead.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.theme import Theme
from textual.widget import Widget

from ammoflow.tui.render.cells import BLANK, Row, changed_span
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import ERROR_NOTE, chart_rows, note_rows
from ammoflow.tui.render.chart_plan import FRAME, LEGEND, MARK_GLYPHS, NOTE, TICK, TITLE, UNIT, mark_code, series_code
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.segments import row_segments

__all__ = ["Chart", "ChartData", "Series"]


def _palette(theme: Theme, background: Color, base: Style, series: Sequence[Series]) -> dict[str, Style]:
    """Rich styles for every style code, from the theme colours."""
    variables = theme.to_color_system().generate()

    def colour(name: str, fallback: str = "ansi_default") -> Color:
        try:
            return Color.parse(variables.get(name) or fallback)
        except Exception:  # odd theme values fall back to default
            return Color.parse(fallback)

    foreground = colour("foreground")
    if background.a == 0:
        background = colour("background")
    blendable = foreground.ansi is None and background.ansi is None

    def muted(color: Color, amount: float) -> Style:
        """``color`` pushed towards the background by ``amount`` (dim for ANSI colours)."""
        if blendable and color.ansi is None:
            return Style(color=color.blend(background, amount).rich_color)
        return Style(color=color.rich_color, dim=True)

    def readable(color: Color) -> Color:
        """Lift colours too close to the background towards the foreground."""
        if blendable and color.ansi is None and abs(color.brightness - background.brightness) < 0.2:
            return color.blend(foreground, 0.45)
        return color

    accents: list[Color] = []
    seen: set[tuple[int, int, int, int | None]] = set()
    for name in ("primary", "warning", "success", "error", "accent", "secondary"):
        candidate = colour(name, "ansi_default")
        key = (candidate.r, candidate.g, candidate.b, candidate.ansi)
        if key not in seen and candidate.a > 0:
            seen.add(key)
            accents.append(readable(candidate))
    if not accents:
        accents.append(foreground)

    styles: dict[str, Style] = {
        BLANK: base,
        TITLE: base + Style(color=foreground.rich_color, bold=True),
        LEGEND: base + Style(color=foreground.rich_color),
        UNIT: base + muted(foreground, 0.35) + Style(italic=True),
        NOTE: base + muted(foreground, 0.35) + Style(italic=True),
        FRAME: base + muted(foreground, 0.55),
        TICK: base + muted(foreground, 0.3),
    }
    # Marks: the present in the foreground, later ones (the last observation) muted; the
    # glyphs already tell them apart without colour.
    for index in range(len(MARK_GLYPHS)):
        styles[mark_code(index)] = base + (Style(color=foreground.rich_color) if index == 0 else muted(foreground, 0.3))
    accent_index = 0
    for index, item in enumerate(series):
        code = series_code(index)
        if item.kind == "baseline":
            # The first compared run (the pinned baseline) grey, the next ones dim tones of the
            # accents taken from the end, away from the current lines' first colours.
            if item.run == 0 or len(accents) < 2:
                style = muted(foreground, 0.5)
            else:
                style = muted(accents[-1 - (item.run - 1) % len(accents)], 0.4)
        else:
            color = accents[accent_index % len(accents)]
            accent_index += 1
            if item.kind == "band":
                style = muted(color, 0.6)
            elif item.kind == "markers":
                style = Style(color=color.rich_color, bold=True)
            else:
                style = Style(color=color.rich_color)
        styles[code] = base + style
    return styles


def _strip(row: Row, styles: dict[str, Style], width: int) -> Strip:
    """One Strip per row, one Segment per run of equal style codes."""
    text = row[0]
    cells = width if text.isascii() or cell_len(text) == len(text) else None
    return Strip(row_segments(row, styles), cells)


class Chart(Widget):
    """A themed monthly chart; call :meth:`show` with new data to redraw.

    Only the cells that changed since the last draw are repainted.
    """

    DEFAULT_CSS = """
    Chart {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self,
        data: ChartData | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._data: ChartData | None = data
        self._version = 0
        """Bumped by every show() that changes the data."""
        self._canvas: Canvas | None = None
        self._rows: list[Row] = []
        self._rows_key: tuple[Size, int] | None = None
        """(size, data version) the rows were laid out for."""
        self._strips: list[Strip | None] = []
        self._styles: dict[str, Style] | None = None
        self._styles_key: tuple[Any, ...] | None = None

    @property
    def data(self) -> ChartData | None:
        """The data currently shown."""
        return self._data

    @property
    def rows(self) -> list[str]:
        """The text of every row as last laid out, without colours."""
        return [text for text, _ in self._rows]

    def on_mount(self) -> None:
        # The signal fires after the new theme's CSS is applied, so the widget
        # background used for blending is already the new one.
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)

    def _on_theme_changed(self, _theme: Theme) -> None:
        self._styles = None
        self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self._layout(refresh_all=True)

    def show(self, data: ChartData) -> None:
        """Draw ``data``, repainting only the cells that changed. Cheap when nothing did."""
        if not isinstance(data, ChartData):
            raise TypeError(f"expected ChartData, got {type(data).__name__}")
        if data == self._data and self._rows_key is not None and self._rows_key[1] == self._version:
            return
        kinds_changed = self._kinds(self._data) != self._kinds(data)
        self._data = data
        self._version += 1
        if self.is_mounted and self.size.width > 0 and self.size.height > 0:
            self._layout(refresh_all=kinds_changed)

    @staticmethod
    def _kinds(data: ChartData | None) -> tuple[str, ...]:
        return tuple(item.kind for item in data.series) if data is not None else ()

    def _lay_out_rows(self) -> list[Row]:
        if self._canvas is None:
            self._canvas = Canvas()
        size = self.size
        try:
            rows = chart_rows(self._data, size.width, size.height, self._canvas)
        except Exception:  # a chart that cannot be drawn must not take the app down
            self.log.error("chart could not be drawn", traceback.format_exc())
            rows = note_rows(ERROR_NOTE, size.width, size.height)
        self._rows_key = (size, self._version)
        return rows

    def _layout(self, refresh_all: bool) -> None:
        """Lay out the rows for the current size and data; refresh what changed."""
        old_rows, old_key = self._rows, self._rows_key
        new_rows = self._lay_out_rows()
        self._rows = new_rows
        size = self.size
        if refresh_all or old_key is None or old_key[0] != size or len(old_rows) != len(new_rows):
            self._strips = [None] * len(new_rows)
            self.refresh()
            return
        regions: list[Region] = []
        for y, (old, new) in enumerate(zip(old_rows, new_rows, strict=True)):
            span = changed_span(old, new)
            if span is None:
                continue
            self._strips[y] = None
            start, end = span
            if cell_len(old[0]) != len(old[0]) or cell_len(new[0]) != len(new[0]):
                # Wide characters: character indices are not cell columns.
                start, end = 0, size.width
            regions.append(Region(start, y, max(end - start, 1), 1))
        if regions:
            self.refresh(*regions)

    def _current_styles(self) -> dict[str, Style]:
        base = self.rich_style
        key = (self.app.theme, base, self._kinds(self._data))
        if self._styles is None or key != self._styles_key:
            _, background = self.background_colors
            series = self._data.series if self._data is not None else ()
            self._styles = _palette(self.app.current_theme, background, base, series)
            self._styles_key = key
            self._strips = [None] * len(self._rows)
        return self._styles

    def render_line(self, y: int) -> Strip:
        size = self.size
        if self._rows_key != (size, self._version):
            self._rows = self._lay_out_rows()
            self._strips = [None] * len(self._rows)
        styles = self._current_styles()
        if not 0 <= y < len(self._rows):
            return Strip.blank(size.width, styles[BLANK])
        strip = self._strips[y]
        if strip is None:
            strip = self._strips[y] = _strip(self._rows[y], styles, size.width)
        return strip
