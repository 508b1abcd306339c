"""A tornado chart: which assumption moves a key figure most.

The widget
----------
:class:`TornadoView` holds a figure chooser (a compact :class:`~textual.widgets.Select`
of the key figures), a status line (the figure for the scenario as it is, and the
legend), the bars, and detail lines for the bar under the cursor. Call
:meth:`TornadoView.show` with every new scenario: the sensitivity
(:func:`scenarios.sensitivity.tornado`, one batch of 35 runs) is computed in a thread
worker, a newer call cancels an older one, and a result for a scenario that is no
longer current is dropped. "computing…" appears only when a result takes longer than
:data:`COMPUTING_DELAY`; until then the previous bars stay, so moving a slider does not
make the chart flicker. Recent results are kept, so switching back to a figure is
immediate.

One row per parameter, largest swing first (here total shortfall, 42 columns)::

    ▸ru_fire_rate      0 ░████████████ 30.4M
     ru_production     0 █░░           5.97M
     nk_reserve     670k ░█            3.17M
     shells…tainer       no effect

The horizontal axis is the figure. ``░`` spans from the figure for the scenario as it
is (where the two glyphs meet; a ``│`` marks it on rows without a bar) to the figure
with the parameter at the *low* end of its uncertainty range, ``█`` to the figure with
it at the *high* end; the numbers are those two figures, the smaller on the left. A
parameter that does not move the figure reads "no effect"; parameters whose range is a
single value are listed as held fixed. Month figures are months from the start,
"never" being the horizon (so "lasts longer" is to the right). Names are the
parameter labels when the pane is wide enough for them all, otherwise the keys, cut in
the middle; the detail lines under the chart spell out the bar under the cursor in
full, with units.

Up/down move the cursor, enter posts :class:`TornadoView.ParameterChosen` (the app
focuses that parameter), ``[`` and ``]`` step through the figures.

How the bars are drawn
----------------------
The bars are a plotext 6 horizontal floating bar chart (``bar(y, base, end,
orientation="h")``), drawn on a canvas one row per parameter with no axes or ticks and
taken colourless, like :mod:`tui.components.chart`. Names and numbers are composed
around the canvas here rather than by plotext, because plotext's tick labels cannot
carry a number at each end of a row, and because exact columns are needed for them.
Each glyph maps back to what it shows (``░`` low, ``█`` high, box drawing the base
line), which gives the colours and keeps the chart readable without them. Of each
parameter's two bars the longer is drawn first, so when both ends fall on one side of
the base value (a scenario value outside the uncertainty range) both stay visible.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, ClassVar

from ammoflow.scenarios.analysis.sensitivity import Bar, Tornado, format_value, tornado
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURES
from ammoflow.scenarios.model.months import format_month
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.dialogs.errors import ERROR_MARK
from ammoflow.tui.keys import InOrderKeys, hold_keys_for
from ammoflow.tui.widgets.chart import human_number
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Select, Static
from textual.worker import get_current_worker

__all__ = [
    "COMPUTING_DELAY",
    "DEFAULT_FIGURE",
    "HIGH_GLYPH",
    "LOW_GLYPH",
    "TornadoBars",
    "TornadoView",
    "short_value",
    "tornado_rows",
]

DEFAULT_FIGURE = "total_shortfall"
COMPUTING_DELAY = 0.2
"""Seconds a computation may take before the status line says "computing…"."""

LOW_GLYPH = "░"
HIGH_GLYPH = "█"
CURSOR_MARK = "▸"
NO_EFFECT = "no effect"
CACHE_SIZE = 8
MIN_CANVAS = 6
MIN_NAME = 12
MAX_NAME = 45

# Style codes, one per cell (as in tui.components.chart).
_BLANK = " "
_NAME = "N"
_VALUE = "V"
_LOW = "L"
_HIGH = "H"
_BASE = "B"
_NOTE = "T"

Row = tuple[str, str]
"""A row as (text, codes): one style code per character."""


# ---------------------------------------------------------------------------
# Text helpers (pure)
# ---------------------------------------------------------------------------


def short_value(figure_key: str, number: float, scenario: Scenario) -> str:
    """A figure in a few cells: ``4.46M``, ``62.6%``, ``2025-08``, ``never``, ``n/a``."""
    if number is None or not math.isfinite(number):
        return "n/a"
    kind = FIGURES_BY_KEY[figure_key].kind
    if kind == "month":
        if number >= scenario.months:
            return "never"
        return format_month(scenario.start_index + int(number))
    if kind == "share":
        return f"{number * 100:.1f}%"
    return human_number(number)


def _elide(text: str, width: int) -> str:
    """``text`` in ``width`` cells, cut in the middle so both ends stay readable."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    head = width // 2
    tail = width - 1 - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def _names(bars: Sequence[Bar], width: int) -> list[str]:
    """Row names: the labels when they all fit, otherwise the keys, cut in the middle."""
    if all(len(bar.label) <= width for bar in bars):
        return [bar.label for bar in bars]
    return [_elide(bar.key, width) for bar in bars]


def _compose(pieces: Sequence[tuple[str, str]], width: int, *, canvas_codes: str = "") -> Row:
    """Join (text, code) pieces, cut or padded to exactly ``width`` characters.

    A piece with the code "" takes its codes from ``canvas_codes`` (one per character).
    """
    text = "".join(piece for piece, _ in pieces)
    codes = "".join(code * len(piece) if code else canvas_codes for piece, code in pieces)
    if len(text) > width:
        text, codes = text[: max(width - 1, 0)] + "…"[: width > 0], codes[:width]
    return text.ljust(width), codes.ljust(width, _BLANK)


def _wrap_note(prefix: str, items: Sequence[str], width: int) -> list[Row]:
    """``prefix`` and the comma-separated ``items`` over as many rows as they need."""
    rows: list[Row] = []
    line = prefix
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if len(line) + 1 + len(piece) > width and line.strip():
            rows.append(_compose([(line, _NOTE)], width))
            line = "  " + piece
        else:
            line = f"{line} {piece}" if line else piece
    if line.strip():
        rows.append(_compose([(line, _NOTE)], width))
    return rows


# ---------------------------------------------------------------------------
# The plotext canvas
# ---------------------------------------------------------------------------


class _BarsFigure:
    """A private plotext 6 figure drawing the bars as a colourless canvas."""

    def __init__(self) -> None:
        import plotext  # about 0.1 s the first time; only a drawn chart pays it

        terminal = type(plotext.terminal)()
        terminal.limit(False, False)  # never clamp the figure to the real terminal size
        self.figure: Any = terminal._master

    def draw(self, result: Tornado, width: int) -> list[str]:
        """One canvas row per bar of ``result``, ``width`` cells wide, top bar first."""
        bars = result.bars
        count = len(bars)
        fig = self.figure
        fig.clear.data()
        fig.plot_size(width, count)
        fig.axes(False)
        base = result.base
        ends = [v for bar in bars for v in (bar.at_low, bar.at_high) if math.isfinite(v)]
        low, high = min([*ends, base]), max([*ends, base])
        if high - low <= 1e-9 * max(1.0, abs(high)):
            low, high = low - 1.0, high + 1.0
        first: list[tuple[int, float, str]] = []
        second: list[tuple[int, float, str]] = []
        for index, bar in enumerate(bars):
            y = count - index  # plotext's y grows upwards; the first bar goes on top
            ends_of_bar = [
                (end, glyph)
                for end, glyph in ((bar.at_low, LOW_GLYPH), (bar.at_high, HIGH_GLYPH))
                if math.isfinite(end) and end != base
            ]
            ends_of_bar.sort(key=lambda item: -abs(item[0] - base))  # the longer first, under the shorter
            for group, (end, glyph) in zip((first, second), ends_of_bar, strict=False):
                group.append((y, end, glyph))
        for group in (first, second):
            if group:
                fig.draw(
                    fig.bar(
                        [y for y, _, _ in group],
                        [base] * len(group),
                        [end for _, end, _ in group],
                        orientation="h",
                        marker=[glyph for _, _, glyph in group],
                        width=0.8,
                    )
                )
        fig.line(base, orientation="v")
        # Set after the bars: bar() puts its own ticks on the y ruler.
        fig.ruler("x").ticks([])
        fig.ruler("y").ticks([])
        fig.ruler("x").lim(low, high)
        if count > 1:
            fig.ruler("y").lim(1, count)
        else:
            fig.ruler("y").lim(0.5, 1.5)
        text: str = fig.build().string(colorless=True)
        lines = text.split("\n")
        return [(lines[i] if i < len(lines) else "")[:width].ljust(width) for i in range(count)]


def _canvas_codes(line: str) -> str:
    codes: list[str] = []
    for char in line:
        if char == LOW_GLYPH:
            codes.append(_LOW)
        elif char == HIGH_GLYPH:
            codes.append(_HIGH)
        elif char == " ":
            codes.append(_BLANK)
        elif 0x2500 <= ord(char) <= 0x257F:
            codes.append(_BASE)
        else:
            codes.append(_NOTE)
    return "".join(codes)


def tornado_rows(result: Tornado, scenario: Scenario, width: int, figure: _BarsFigure | None = None) -> list[Row]:
    """Every row of the bars, ``width`` cells wide: one per bar, then the note on fixed parameters.

    Row ``i`` (for ``i < len(result.bars)``) is bar ``i``; the cursor column comes first
    and is left blank here.
    """
    rows: list[Row] = []
    bars = result.bars
    if bars:
        figure = figure or _BarsFigure()
        left = [short_value(result.figure_key, min(b.at_low, b.at_high), scenario) for b in bars]
        right = [short_value(result.figure_key, max(b.at_low, b.at_high), scenario) for b in bars]
        for i, bar in enumerate(bars):
            if bar.swing == 0:
                left[i] = right[i] = ""
            elif not math.isfinite(bar.swing):
                left[i], right[i] = "", "n/a"
        value_width = max(1, *(len(text) for text in left + right))
        fixed = 1 + 1 + value_width + 1 + 1 + value_width  # cursor, gaps, numbers
        name_budget = max(MIN_NAME, min((width - fixed) // 2, width - fixed - MIN_CANVAS, MAX_NAME))
        names = _names(bars, name_budget)
        name_width = max(len(name) for name in names)
        canvas_width = max(MIN_CANVAS, width - fixed - name_width)
        canvas = figure.draw(result, canvas_width)
        for i, bar in enumerate(bars):
            if bar.swing == 0:  # no bar to draw: say so across the numbers and the canvas
                head = [(" ", _BLANK), (names[i].ljust(name_width), _NAME), (" " * (value_width + 2), _BLANK)]
                rows.append(_compose([*head, (NO_EFFECT, _NOTE)], width))
                continue
            line, codes = canvas[i], _canvas_codes(canvas[i])
            rows.append(
                _compose(
                    [
                        (" ", _BLANK),
                        (names[i].ljust(name_width), _NAME),
                        (" ", _BLANK),
                        (left[i].rjust(value_width), _VALUE),
                        (" ", _BLANK),
                        (line, ""),
                        (" ", _BLANK),
                        (right[i], _VALUE),
                    ],
                    width,
                    canvas_codes=codes,
                )
            )
    else:
        rows.append(_compose([(" every parameter is held fixed: nothing to compare", _NOTE)], width))
    if result.fixed:
        rows.extend(_wrap_note(" held fixed (a range of one value):", list(result.fixed), width))
    return rows


def _runs(row: Row) -> list[tuple[str, str]]:
    """(text, code) runs of equally styled cells."""
    text, codes = row
    out: list[tuple[str, str]] = []
    position = 0
    for code, group in itertools.groupby(codes):
        length = len(list(group))
        out.append((text[position : position + length], code))
        position += length
    return out


# ---------------------------------------------------------------------------
# The bars widget
# ---------------------------------------------------------------------------


class TornadoBars(InOrderKeys, ScrollView, can_focus=True):
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
        self._figure: _BarsFigure | None = None
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
            if self._figure is None:
                self._figure = _BarsFigure()
            try:
                self._rows = tornado_rows(self._result, self._scenario, width, self._figure)
            except Exception as exc:  # a chart that cannot be drawn must not take the app down
                self.log.error("tornado could not be drawn", exc)
                self._rows = [_compose([(f" {ERROR_MARK}the chart could not be drawn", _NOTE)], width)]
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
        text, codes = self._rows[index]
        styles = self._styles(base)
        segments = [Segment(run, styles.get(code, base)) for run, code in _runs((text, codes))]
        if index == self.cursor and index < self.bar_count:
            # The mark and the name take the cursor style; the numbers and bars keep theirs.
            end = codes.rfind(_NAME) + 1
            segments = [Segment(CURSOR_MARK + text[1:end], styles["cursor"]), *Strip(segments).crop(end, width)]
        return Strip(segments).crop_extend(0, width, base)

    def _styles(self, base: Style) -> dict[str, Style]:
        def component(name: str) -> Style:
            return self.get_component_rich_style(f"tornado-bars--{name}")

        return {
            _BLANK: base,
            _NAME: component("name"),
            _VALUE: component("value"),
            _LOW: component("low"),
            _HIGH: component("high"),
            _BASE: component("base"),
            _NOTE: component("note"),
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


# ---------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------


class _Computed(Message):
    """A worker's answer: the tornado for (scenario, figure), or the error."""

    def __init__(
        self, generation: int, scenario: Scenario, figure_key: str, result: Tornado | None, error: str
    ) -> None:
        super().__init__()
        self.generation = generation
        self.scenario = scenario
        self.figure_key = figure_key
        self.result = result
        self.error = error


class TornadoView(Widget):
    """A figure chooser over a tornado chart of the current scenario.

    Call :meth:`show` with each new scenario (cheap: computations are coalesced and run
    in a thread). Enter on a bar posts :class:`ParameterChosen`.
    """

    BINDING_GROUP_TITLE = "Tornado chart"

    DEFAULT_CSS = """
    TornadoView {
        layout: vertical;
        width: 1fr;
        height: 1fr;
        & > #tornado-figure { width: 1fr; margin: 0 0 0 1; }
        & > #tornado-status { height: 1; width: 1fr; color: $foreground-muted; padding: 0 1; }
        & > #tornado-status.-error { color: $error; text-style: bold; }
        & > #tornado-detail {
            height: auto;
            max-height: 4;
            width: 1fr;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            padding: 0 1;
            color: $foreground-muted;
            border-top: hkey $foreground 20%;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "step_figure(1)", "Next key figure", id="tornado.next_figure"),
        Binding("left_square_bracket", "step_figure(-1)", "Previous key figure", id="tornado.previous_figure"),
    ]

    class ParameterChosen(Message):
        """Enter on the bar of parameter ``key``: the app focuses that parameter."""

        def __init__(self, key: str, tornado_view: TornadoView | None = None) -> None:
            super().__init__()
            self.key = key
            self.tornado_view = tornado_view

        @property
        def control(self) -> TornadoView | None:
            """The view the bar was chosen in (for ``@on(..., selector)``)."""
            return self.tornado_view

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        figure_key: str = DEFAULT_FIGURE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if figure_key not in FIGURES_BY_KEY:
            raise ValueError(f"unknown key figure {figure_key!r}")
        self._scenario = scenario
        self._figure_key = figure_key
        self._generation = 0
        self._shown: tuple[Scenario, str] | None = None
        self._cache: list[tuple[Scenario, str, Tornado]] = []
        self._computing_timer: Timer | None = None
        self._error = ""
        self._ready = False

    # -- public --------------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario | None:
        """The scenario the chart is (or is being) computed for."""
        return self._scenario

    @property
    def figure_key(self) -> str:
        return self._figure_key

    @property
    def tornado(self) -> Tornado | None:
        """The tornado on screen, if it is for the current scenario and figure."""
        bars = self.query_one(TornadoBars)
        if bars.result is not None and self._shown == (self._scenario, self._figure_key):
            return bars.result
        return None

    @property
    def busy(self) -> bool:
        """True while the chart on screen is not yet the current scenario's."""
        return self._scenario is not None and self._shown != (self._scenario, self._figure_key) and not self._error

    def show(self, scenario: Scenario) -> None:
        """Chart ``scenario``; cheap when it is the one already shown."""
        self._scenario = scenario
        self._request()

    def set_figure(self, figure_key: str) -> None:
        """Chart ``figure_key`` (also moves the chooser)."""
        if figure_key not in FIGURES_BY_KEY:
            raise ValueError(f"unknown key figure {figure_key!r}")
        if figure_key == self._figure_key:
            return
        self._figure_key = figure_key
        if self._ready:
            select = self.query_one("#tornado-figure", Select)
            if select.value != figure_key:
                select.value = figure_key
        self._request()

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Select(
            [(figure.label, figure.key) for figure in FIGURES],
            value=self._figure_key,
            allow_blank=False,
            compact=True,
            id="tornado-figure",
        )
        yield Static("", id="tornado-status", markup=False)
        yield TornadoBars(id="tornado-bars")
        yield Static("", id="tornado-detail", markup=False)

    def on_mount(self) -> None:
        self._ready = True
        if self._scenario is not None:
            self._request()

    # -- computing -------------------------------------------------------------------------

    def _request(self) -> None:
        if not self._ready or self._scenario is None:
            return
        scenario, figure_key = self._scenario, self._figure_key
        self._generation += 1
        if self._shown is not None and self._shown == (scenario, figure_key) and not self._error:
            return
        for cached_scenario, cached_key, result in self._cache:
            if cached_key == figure_key and cached_scenario == scenario:
                self._display(scenario, figure_key, result)
                return
        if self._computing_timer is not None:
            self._computing_timer.stop()
        self._computing_timer = self.set_timer(COMPUTING_DELAY, self._say_computing)
        self._compute(self._generation, scenario, figure_key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tornado")
    def _compute(self, generation: int, scenario: Scenario, figure_key: str) -> None:
        if get_current_worker().is_cancelled:
            return  # a newer request came while this one waited: skip the work
        try:
            result: Tornado | None = tornado(scenario, figure_key)
            error = ""
        except ScenarioError as exc:
            result, error = None, "; ".join(exc.lines())
        except Exception as exc:  # shown, not raised: the chart must not take the app down
            result, error = None, f"could not compute: {exc}"
        self.post_message(_Computed(generation, scenario, figure_key, result, error))

    def on__computed(self, message: _Computed) -> None:
        message.stop()
        if message.result is not None:
            self._remember(message.scenario, message.figure_key, message.result)
        if message.generation != self._generation:
            return  # a newer scenario (or figure) is current: this one is not shown
        self._stop_timer()
        if message.result is None:
            self._error = message.error
            self._set_status(f"{ERROR_MARK}{message.error}", error=True)
            return
        self._display(message.scenario, message.figure_key, message.result)

    def _remember(self, scenario: Scenario, figure_key: str, result: Tornado) -> None:
        self._cache = [entry for entry in self._cache if not (entry[1] == figure_key and entry[0] == scenario)][
            -(CACHE_SIZE - 1) :
        ]
        self._cache.append((scenario, figure_key, result))

    def _stop_timer(self) -> None:
        if self._computing_timer is not None:
            self._computing_timer.stop()
            self._computing_timer = None

    def _say_computing(self) -> None:
        self._computing_timer = None
        if self.busy:
            self._set_status("computing…")

    def _display(self, scenario: Scenario, figure_key: str, result: Tornado) -> None:
        self._stop_timer()
        self._error = ""
        bars = self.query_one(TornadoBars)
        old = bars.result
        keep = old.bars[bars.cursor].key if old is not None and bars.cursor < len(old.bars) else None
        self._shown = (scenario, figure_key)
        bars.show(result, scenario, keep_key=keep)
        self._set_status(f"base {format_value(figure_key, result.base, scenario)}  {LOW_GLYPH} low  {HIGH_GLYPH} high")
        self._show_detail()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#tornado-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _show_detail(self) -> None:
        bars = self.query_one(TornadoBars)
        result, scenario = bars.result, self._shown[0] if self._shown else None
        detail = self.query_one("#tornado-detail", Static)
        if result is None or scenario is None or not result.bars:
            detail.update("")
            return
        bar = result.bars[min(bars.cursor, len(result.bars) - 1)]
        detail.update(describe_bar(bar, result.figure_key, scenario))

    # -- events --------------------------------------------------------------------------------

    @on(Select.Changed, "#tornado-figure")
    def _figure_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self._figure_key:
            self._figure_key = event.value
            self._request()

    @on(TornadoBars.CursorMoved)
    def _cursor_moved(self, event: TornadoBars.CursorMoved) -> None:
        event.stop()
        self._show_detail()

    @on(TornadoBars.Chosen)
    def _chosen(self, event: TornadoBars.Chosen) -> None:
        event.stop()
        result = self.query_one(TornadoBars).result
        if result is not None and 0 <= event.index < len(result.bars):
            self.post_message(self.ParameterChosen(result.bars[event.index].key, self))

    def action_step_figure(self, step: int) -> None:
        keys = [figure.key for figure in FIGURES]
        self.set_figure(keys[(keys.index(self._figure_key) + step) % len(keys)])


def describe_bar(bar: Bar, figure_key: str, scenario: Scenario) -> str:
    """The bar in words, three lines: the parameter, then the figure at each end of its range."""
    parameter = registry.BY_KEY.get(bar.key)
    unit = f" ({parameter.unit})" if parameter is not None else ""
    low = registry.format_number(bar.low)
    high = registry.format_number(bar.high)
    if bar.swing == 0:
        return f"{bar.label}{unit}\nno effect from {low} to {high}"
    at_low = format_value(figure_key, bar.at_low, scenario)
    at_high = format_value(figure_key, bar.at_high, scenario)
    return f"{bar.label}{unit}\n{LOW_GLYPH} low {low} → {at_low}\n{HIGH_GLYPH} high {high} → {at_high}"
