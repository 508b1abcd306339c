"""The bars of a tornado chart with a cursor: the rows of :mod:`ammoflow.tui.render.tornado_rows`.

Up/down, home/end and page up/down move the cursor, enter (or a second click) posts
:class:`TornadoBars.Chosen`; the bars scroll when they do not all fit. The mark and the
name of the bar under the cursor take the cursor's style, the numbers and bars keep
their own, which come from the theme through component classes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ammoflow.scenarios.analysis.sensitivity import Tornado
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.keys import hold_keys_for
from ammoflow.tui.render.cells import BLANK, Row
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.segments import row_segments
from ammoflow.tui.render.tornado_rows import BASE, HIGH, LOW, NAME, NOTE, VALUE, error_rows, tornado_rows

__all__ = ["CURSOR_MARK", "TornadoBars"]

CURSOR_MARK = "▸"


class TornadoBars(ScrollView, can_focus=True):
    """The bars of a tornado chart with a cursor; scrolls when they do not all fit."""

    BINDING_GROUP_TITLE = "Tornado chart"

    DEFAULT_CSS = """
    TornadoBars {
        height: 1fr;
        width: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .tornado-bars--name { color: $foreground; }
        & > .tornado-bars--value { color: $foreground; }
        & > .tornado-bars--low { color: $accent; }
        & > .tornado-bars--high { color: $primary; }
        & > .tornado-bars--base { color: $foreground-muted; }
        & > .tornado-bars--note { color: $foreground-muted; text-style: italic; }
        & > .tornado-bars--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .tornado-bars--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tornado-bars--name",
        "tornado-bars--value",
        "tornado-bars--low",
        "tornado-bars--high",
        "tornado-bars--base",
        "tornado-bars--note",
        "tornado-bars--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Previous parameter", show=False, id="tornado.cursor_up"),
        Binding("down", "cursor_down", "Next parameter", show=False, id="tornado.cursor_down"),
        Binding("home", "cursor_first", "Largest effect", show=False, id="tornado.cursor_first"),
        Binding("end", "cursor_last", "Smallest effect", show=False, id="tornado.cursor_last"),
        Binding("pageup", "page_up", "Page up", show=False, id="tornado.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="tornado.page_down"),
        Binding("enter", "choose", "Go to the parameter", id="tornado.choose"),
    ]

    class Chosen(Message):
        """Enter (or a second click) on bar ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class CursorMoved(Message):
        """The cursor is on bar ``index`` now."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._result: Tornado | None = None
        self._scenario: Scenario | None = None
        self._canvas: Canvas | None = None
        self._rows: list[Row] = []
        self._rows_key: tuple[int, int] | None = None
        self._version = 0
        self.cursor = 0

    # -- data ------------------------------------------------------------------------

    @property
    def result(self) -> Tornado | None:
        return self._result

    @property
    def bar_count(self) -> int:
        return len(self._result.bars) if self._result is not None else 0

    @property
    def rows(self) -> list[str]:
        """The text of every row as last laid out (without the cursor mark)."""
        self._ensure_rows()
        return [text for text, _ in self._rows]

    def show(self, result: Tornado, scenario: Scenario, *, keep_key: str | None = None) -> None:
        """Draw ``result``; the cursor stays on ``keep_key`` when it is still a bar."""
        self._result = result
        self._scenario = scenario
        self._version += 1
        keys = [bar.key for bar in result.bars]
        if keep_key in keys:
            self.cursor = keys.index(keep_key)
        else:
            self.cursor = min(self.cursor, max(len(keys) - 1, 0))
        self._ensure_rows()
        self.refresh()
        self._scroll_to_cursor()

    def _ensure_rows(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        key = (width, self._version)
        if self._rows_key == key:
            return
        self._rows_key = key
        if self._result is None or self._scenario is None or width <= 0:
            self._rows = []
        else:
            if self._canvas is None:
                self._canvas = Canvas()
            try:
                self._rows = tornado_rows(self._result, self._scenario, width, self._canvas)
            except Exception as exc:  # a chart that cannot be drawn must not take the app down
                self.log.error("tornado could not be drawn", exc)
                self._rows = error_rows(width)
        self.virtual_size = Size(width, len(self._rows))

    # -- rendering -------------------------------------------------------------------

    def on_resize(self, _event: events.Resize) -> None:
        self._ensure_rows()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._ensure_rows()
        width = self.size.width
        index = y + self.scroll_offset.y
        base = self.rich_style
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        text, codes = row = self._rows[index]
        styles = self._styles(base)
        strip = Strip(row_segments(row, styles))
        if index == self.cursor and index < self.bar_count:
            # The mark and the name take the cursor style; the numbers and bars keep theirs.
            end = codes.rfind(NAME) + 1
            strip = Strip([Segment(CURSOR_MARK + text[1:end], styles["cursor"]), *strip.crop(end, width)])
        return strip.crop_extend(0, width, base)

    def _styles(self, base: Style) -> dict[str, Style]:
        def component(name: str) -> Style:
            return self.get_component_rich_style(f"tornado-bars--{name}")

        return {
            BLANK: base,
            NAME: component("name"),
            VALUE: component("value"),
            LOW: component("low"),
            HIGH: component("high"),
            BASE: component("base"),
            NOTE: component("note"),
            "cursor": component("cursor"),
        }

    # -- the cursor --------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        if self.bar_count == 0:
            return
        index = max(0, min(index, self.bar_count - 1))
        if index != self.cursor:
            old = self.cursor
            self.cursor = index
            self.refresh(Region(0, old - self.scroll_offset.y, self.size.width, 1))
            self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))
            self.post_message(self.CursorMoved(index))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if self.bar_count and self.is_mounted:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True, x_axis=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(self.bar_count - 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(self.size.height - 1, 1))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(self.size.height - 1, 1))

    def action_choose(self) -> None:
        if self.bar_count:
            hold_keys_for(self)  # until the parameter's slider has focus
            self.post_message(self.Chosen(self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < self.bar_count:
            if index == self.cursor:
                self.action_choose()
            else:
                self.move_cursor(index)
