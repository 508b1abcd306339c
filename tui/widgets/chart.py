"""A generic monthly chart widget: shows a :class:`ChartData`, knows nothing of the model.

The drawing is pure and lives in :mod:`ammoflow.tui.render`: the rows of cells come from
:func:`~ammoflow.tui.render.chart_layout.lay_out`, and each row is painted by the one
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

import threading
import traceback
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.theme import Theme
from textual.widget import Widget

from ammoflow.tui.render.cells import BLANK, Row, changed_span
from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import ERROR_NOTE, ChartLayout, PlotArea, lay_out, note_rows
from ammoflow.tui.render.chart_plan import (
    CURSOR,
    FRAME,
    LEGEND,
    MARK_GLYPHS,
    NOTE,
    TICK,
    TITLE,
    UNIT,
    mark_code,
    series_code,
)
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.segments import row_segments

__all__ = ["Chart", "ChartData", "Series"]

PreparedKey = tuple[ChartData, int, int, int | None]
"""What a drawing laid out ahead was drawn for: the data, the width and height, the cursor."""

PREPARED_KEPT = 4
"""Drawings laid out ahead kept at once: a look-ahead prepares the two next steps of a slider."""


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
        CURSOR: base + Style(color=foreground.rich_color, bold=True),
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

    Only the cells that changed since the last draw are repainted. With a cursor on
    (:meth:`set_cursor`) a rule marks one month and a readout gives every series' value
    there. A chart made with ``cursor_keys=True`` takes the focus, and then the arrows, Home
    and End move the cursor, and a click on the plot puts it on the month under the pointer,
    each move posting :class:`CursorMoved`; others never take the focus (in a dialog the
    arrows belong to the dialog). Moving the cursor redraws the chart only: the data stay as
    shown.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move_cursor(-1)", "Cursor a month back", show=False, id="chart.cursor_back"),
        Binding("right", "move_cursor(1)", "Cursor a month on", show=False, id="chart.cursor_on"),
        Binding("home", "cursor_to(0)", "Cursor to the first month", show=False, id="chart.cursor_first"),
        Binding("end", "cursor_to(-1)", "Cursor to the last month", show=False, id="chart.cursor_last"),
    ]

    class CursorMoved(Message):
        """The cursor was moved from the chart's own keys or a click, to month ``index`` (None: off)."""

        def __init__(self, chart: Chart, index: int | None) -> None:
            super().__init__()
            self.chart = chart
            self.index = index

        @property
        def control(self) -> Chart:
            return self.chart

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
        cursor_keys: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.can_focus = cursor_keys
        self._data: ChartData | None = data
        self._version = 0
        """Bumped by every show() that changes the data."""
        self._canvas: Canvas | None = None
        self._rows: list[Row] = []
        self._plot: PlotArea | None = None
        """Where the rows last laid out put the months (None: no plot drawn)."""
        self._rows_key: tuple[Size, int] | None = None
        """(size, data version) the rows were laid out for."""
        self._strips: list[Strip | None] = []
        self._styles: dict[str, Style] | None = None
        self._styles_key: tuple[Any, ...] | None = None
        self._cursor: int | None = None
        # Drawings laid out ahead of a show() (see prepare), by what they were drawn for.
        self._prepared: OrderedDict[PreparedKey, ChartLayout] = OrderedDict()
        self._prepared_lock = threading.Lock()
        self._prepare_canvas: Canvas | None = None  # prepare's own: it runs beside the screen's drawing
        self._laid_out_ahead = 0

    @property
    def data(self) -> ChartData | None:
        """The data currently shown."""
        return self._data

    @property
    def cursor(self) -> int | None:
        """The month index the cursor is on, or None when it is off."""
        return self._cursor

    def months(self) -> int:
        """How many months the chart shows (where the cursor can go)."""
        return len(self._data.x_labels) if self._data is not None else 0

    def set_cursor(self, index: int | None) -> None:
        """Put the cursor on month ``index`` (kept within the months) or take it off (None)."""
        if index is not None:
            index = min(max(index, 0), max(self.months() - 1, 0))
        if index == self._cursor:
            return
        self._cursor = index
        self._version += 1
        if self.is_mounted and self.size.width > 0 and self.size.height > 0:
            self._layout(refresh_all=False)

    def action_move_cursor(self, step: int) -> None:
        start = self._cursor if self._cursor is not None else (-1 if step > 0 else self.months())
        self._cursor_moved(start + step)

    def action_cursor_to(self, index: int) -> None:
        self._cursor_moved(index if index >= 0 else self.months() + index)

    def on_click(self, event: events.Click) -> None:
        """A click on the plot (or the month labels under it) puts the cursor on that month.

        The month comes from the layout the rows were drawn with, so the cursor lands on the
        column clicked; a click on the title, the y axis's labels or the legend does nothing.
        """
        if not self.can_focus or self._plot is None:
            return
        offset = event.get_content_offset(self)
        month = None if offset is None else self._plot.month_at(offset.x, offset.y)
        if month is not None:
            event.stop()
            self._cursor_moved(month)

    def _cursor_moved(self, index: int) -> None:
        self.set_cursor(index)
        self.post_message(self.CursorMoved(self, self._cursor))

    def as_text(self) -> str:
        """The chart as drawn, in plain text: its glyphs tell the series apart without colour."""
        return "".join(text.rstrip() + "\n" for text in self.rows)

    def as_svg(self, title: str) -> str:
        """The chart as drawn, in its theme's colours, as an SVG picture of a terminal."""
        import io

        from rich.console import Console
        from rich.text import Text

        console = Console(
            record=True,
            width=max(self.size.width, 1),
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
        )
        styles = self._current_styles()
        for row in self._rows:
            line = Text(no_wrap=True, overflow="crop", end="")
            for segment in row_segments(row, styles):
                line.append(segment.text, segment.style)
            console.print(line)
            console.print()
        return console.export_svg(title=title)

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

    @property
    def laid_out_ahead(self) -> int:
        """How many drawings shown were laid out ahead by :meth:`prepare` (for scripts and tests)."""
        return self._laid_out_ahead

    def prepare(self, data: ChartData, cursor: int | None) -> None:
        """Lay out ``data`` with the month ``cursor`` for the chart's present size, in any thread,
        for a :meth:`show` that may come: shown then, it takes these rows instead of drawing them.

        The rows depend on nothing but the data, the size and the cursor, which key them: a show
        that differs in any of them draws its own. A drawing that fails is left to that show.
        """
        size = self.size
        if size.width <= 0 or size.height <= 0:
            return
        key = (data, size.width, size.height, cursor)
        with self._prepared_lock:
            if key in self._prepared:
                return
            canvas = self._prepare_canvas = self._prepare_canvas or Canvas()
        try:
            layout = lay_out(data, size.width, size.height, canvas, cursor)
        except Exception:  # drawn (and its failure said) by the show that needs it
            return
        with self._prepared_lock:
            self._prepared[key] = layout
            while len(self._prepared) > PREPARED_KEPT:
                self._prepared.popitem(last=False)

    def _lay_out_rows(self) -> list[Row]:
        if self._canvas is None:
            self._canvas = Canvas()
        size = self.size
        with self._prepared_lock:
            prepared = (
                self._prepared.pop((self._data, size.width, size.height, self._cursor), None) if self._data else None
            )
        if prepared is not None:
            self._laid_out_ahead += 1
            rows, self._plot = prepared.rows, prepared.plot
            self._rows_key = (size, self._version)
            return rows
        try:
            layout = lay_out(self._data, size.width, size.height, self._canvas, self._cursor)
            rows, self._plot = layout.rows, layout.plot
        except Exception:  # a chart that cannot be drawn must not take the app down
            self.log.error("chart could not be drawn", traceback.format_exc())
            rows, self._plot = note_rows(ERROR_NOTE, size.width, size.height), None
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
