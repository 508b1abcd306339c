"""A monthly time-series chart drawn with plotext 6 and painted line by line.

How it draws
------------
plotext lays out the axes, tick labels and the data cells; its output is
taken *colourless* (``matrix.string(colorless=True)``) and coloured here.

Colours cannot be read back from colourless text, so every series is drawn
with its own glyph (``•`` ``×`` ``+`` for lines, ``◆`` ``●`` ``▲`` for
markers, ``·`` ``:`` for baselines, ``░`` ``▒`` for bands) and each glyph maps
back to its series. That one mapping gives both things the chart needs:

* series stay distinguishable without colour (``NO_COLOR``, monochrome or
  16-colour terminals), because the glyphs differ;
* series get theme colours, because each glyph's cells are styled with the
  colour picked for its series.

Outside the plotting area box-drawing characters are the frame and anything
else is tick-label text, so the y tick labels (digits and ``k``/``M``/``B``)
and the x tick labels never collide with the series glyphs. The title, the
unit line and the legend are composed here, not by plotext, so they are
styled exactly and never overlap the data.

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

import math
import re
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.theme import Theme
from textual.widget import Widget

__all__ = [
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "Chart",
    "ChartData",
    "Series",
    "SeriesKind",
    "human_number",
    "month_ticks",
    "nice_ticks",
]

SeriesKind = Literal["line", "markers", "baseline", "band"]

MIN_WIDTH = 20
"""Narrower than this the chart shows a note instead of a plot."""

MIN_HEIGHT = 5
"""Shorter than this the chart shows a note instead of a plot."""

TOO_SMALL_NOTE = "too small for chart"
TOO_SMALL_SHORT_NOTE = "too small"
NO_DATA_NOTE = "no data"
ERROR_NOTE = "chart could not be drawn"

# Glyph pools, one per kind. Glyphs are unique across pools so that a glyph
# identifies its series; a pool is reused cyclically past its end (those
# series then share a glyph and a colour).
LINE_GLYPHS = ("•", "×", "+", "▪", "*", "o", "#", "%")
MARKER_GLYPHS = ("◆", "●", "▲", "■", "◇", "○", "△", "□")
BASELINE_GLYPHS = ("·", ":", "˙", "¨")
BAND_GLYPHS = ("░", "▒", "▚", "▞")

_GLYPHS: dict[str, tuple[str, ...]] = {
    "line": LINE_GLYPHS,
    "markers": MARKER_GLYPHS,
    "baseline": BASELINE_GLYPHS,
    "band": BAND_GLYPHS,
}

# Style codes: one character per cell saying how the cell is painted.
_BLANK = " "
_TITLE = "T"
_UNIT = "U"
_FRAME = "F"
_TICK = "K"
_LEGEND = "L"
_NOTE = "N"
_SERIES_BASE = 0x100  # series i uses chr(_SERIES_BASE + i); never a printable clash

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_RUNS = re.compile(r" *([^ ])(?:\1| )*| +", re.DOTALL)
"""Runs of one style code, blank cells joining the run they precede or follow.

A blank cell looks the same in any style without underline or reverse (and
none is used), so folding blanks into a neighbouring run roughly halves the
number of segments, and so of escape sequences sent to the terminal.
"""

_MONTH_STEPS = (1, 2, 3, 6)
_YEAR_STEPS = (1, 2, 3, 5, 10, 20, 50)
_MIN_SPAN = 1e-9
"""Value ranges narrower than this are drawn as 0..1: the data is zero in practice."""

_TICK_GAP = 2
"""Blank cells kept between neighbouring x tick labels."""

_LEGEND_SEPARATOR = "   "


def _to_floats(values: Iterable[Any] | None) -> tuple[float, ...] | None:
    """Values as a tuple of floats; None, non-numbers and infinities become NaN."""
    if values is None:
        return None
    out: list[float] = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        out.append(number if math.isfinite(number) else math.nan)
    return tuple(out)


@dataclass(frozen=True)
class Series:
    """One series of a chart.

    ``y`` holds one value per month index (0..n-1) unless ``x`` gives explicit,
    possibly fractional, month positions. NaN, None and infinities are gaps.
    For ``kind="band"`` ``y`` is the low edge and ``y_high`` the high edge; the
    space between is filled. Sequences are copied into tuples of floats, so
    numpy arrays or polars series can be passed and the value is hashable.
    """

    label: str
    y: Sequence[float]
    kind: SeriesKind = "line"
    x: Sequence[float] | None = None
    y_high: Sequence[float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in _GLYPHS:
            raise ValueError(f"unknown series kind {self.kind!r}")
        object.__setattr__(self, "y", _to_floats(self.y) or ())
        object.__setattr__(self, "x", _to_floats(self.x))
        object.__setattr__(self, "y_high", _to_floats(self.y_high))


@dataclass(frozen=True)
class ChartData:
    """Everything one chart shows: title, y unit, month labels and series."""

    title: str
    y_unit: str
    x_labels: Sequence[str]
    series: Sequence[Series] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "x_labels", tuple(str(label) for label in self.x_labels))
        object.__setattr__(self, "series", tuple(self.series))


# ---------------------------------------------------------------------------
# Number and tick helpers (pure functions)
# ---------------------------------------------------------------------------

_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def human_number(value: float) -> str:
    """Short human form of a number: ``1500000 -> "1.5M"``, ``300000 -> "300k"``.

    At most three significant digits, trailing zeros dropped; NaN gives "".
    """
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    divisor, suffix = 1.0, ""
    for unit_divisor, unit_suffix in _UNITS:
        if magnitude >= unit_divisor * 0.9995:
            divisor, suffix = unit_divisor, unit_suffix
            break
    scaled = magnitude / divisor
    if suffix == "" and scaled < 1:
        text = f"{scaled:.3g}"
    else:
        decimals = 0 if scaled >= 99.95 else 1 if scaled >= 9.995 else 2
        text = f"{scaled:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return f"{sign}{text}{suffix}"


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 (times a power of ten) not below ``raw``."""
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        if multiple * base >= raw * (1 - 1e-12):
            return multiple * base
    return 10.0 * base  # pragma: no cover - the loop always returns


def nice_ticks(low: float, high: float, max_ticks: int) -> list[float]:
    """Round tick values covering ``[low, high]`` with at most ``max_ticks + 1`` ticks.

    The range is widened to include zero, so counts are read against a zero
    baseline. A range narrower than ``1e-9`` (all zeros, say) becomes one unit
    wide; non-finite bounds give ``[0, 1]``.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    low, high = min(low, high, 0.0), max(low, high, 0.0)
    if not math.isfinite(high - low):
        return sorted({low, 0.0, high})
    if high - low < _MIN_SPAN:
        high = low + 1.0
    intervals = max(1, max_ticks - 1)
    step = _nice_step((high - low) / intervals)
    # Values within a millionth of a step of a tick count as on it, so float
    # noise (or a -0.5 among millions) never adds a whole extra step.
    first = math.floor(low / step + 1e-6)
    last = math.ceil(high / step - 1e-6)
    # Twelve significant digits drop float noise such as 0.30000000000000004.
    ticks = [float(f"{k * step:.12g}") for k in range(first, last + 1)]
    return [0.0 if tick == 0 else tick for tick in ticks]


def _tick_labels(ticks: Sequence[float]) -> list[str]:
    """Human labels for tick values, falling back to more digits if two collide."""
    labels = [human_number(tick) for tick in ticks]
    if len(set(labels)) < len(labels):
        labels = [f"{tick:.6g}" for tick in ticks]
    return labels


def month_ticks(labels: Sequence[str], canvas_width: int) -> tuple[list[int], list[str]]:
    """Pick x tick positions and labels that fit ``canvas_width`` cells without overlap.

    With ``YYYY-MM`` labels ticks fall every 1, 2 or 3 months, or on whole
    half-years (January and July); when those do not fit, the labels shrink
    to the year alone (``2024``) on January, every 1, 2, 3, 5... years. Other
    labels are thinned evenly. Returns month indices and texts.
    """
    count = len(labels)
    if count == 0 or canvas_width <= 0:
        return [], []
    if count == 1:
        return [0], [labels[0]]
    cells_per_month = max(canvas_width - 1, 1) / (count - 1)
    parsed = [_MONTH_LABEL.match(label) for label in labels]
    months = [int(m.group(2)) if m else None for m in parsed]
    is_dated = all(month is not None and 1 <= month <= 12 for month in months)
    label_width = max(cell_len(label) for label in labels)

    def fits(step: int, width: int) -> bool:
        return step * cells_per_month >= width + _TICK_GAP

    if is_dated:
        for step in _MONTH_STEPS:
            if fits(step, label_width):
                positions = [i for i, month in enumerate(months) if (month - 1) % step == 0]  # type: ignore[operator]
                if not positions:
                    positions = list(range(0, count, step))
                return positions, [labels[i] for i in positions]
        years = [label[:4] for label in labels]
        januaries = [i for i, month in enumerate(months) if month == 1]
        for step in _YEAR_STEPS:
            if fits(step * 12, 4):
                positions = [i for i in januaries if int(years[i]) % step == 0]
                if not positions:
                    positions = [0]
                return positions, [years[i] for i in positions]
        return [0], [years[0]]
    step = 1
    while not fits(step, label_width) and step < count:
        step += 1
    positions = list(range(0, count, step))
    return positions, [labels[i] for i in positions]


# ---------------------------------------------------------------------------
# Row composition (pure functions, no Textual)
# ---------------------------------------------------------------------------

Row = tuple[str, str]
"""A row as (text, codes): one style code per character of text."""


def _series_code(index: int) -> str:
    return chr(_SERIES_BASE + index)


def _compose(pieces: Sequence[tuple[str, str]], width: int) -> Row:
    """Join (text, code) pieces into a row exactly ``width`` cells wide.

    Text that does not fit is cut and ends with an ellipsis.
    """
    chars: list[str] = []
    codes: list[str] = []
    used = 0
    cut_code: str | None = None
    for text, code in pieces:
        for char in text:
            cells = cell_len(char)
            if used + cells > width:
                cut_code = code
                break
            chars.append(char)
            codes.append(code)
            used += cells
        if cut_code is not None:
            break
    if cut_code is not None and width > 0:
        while chars and used > width - 1:
            used -= cell_len(chars.pop())
            codes.pop()
        chars.append("…")
        codes.append(cut_code)
        used += 1
    chars.append(" " * (width - used))
    codes.append(_BLANK * (width - used))
    return "".join(chars), "".join(codes)


def _note_rows(note: str, width: int, height: int) -> list[Row]:
    """A blank block with ``note`` centred in it, shortened to fit."""
    rows = [(" " * width, _BLANK * width) for _ in range(height)]
    if height <= 0 or width <= 0:
        return rows
    if len(note) > width and note == TOO_SMALL_NOTE:
        note = TOO_SMALL_SHORT_NOTE
    text = note if len(note) <= width else note[: width - 1] + "…"
    left = (width - len(text)) // 2
    rows[(height - 1) // 2] = _compose([(" " * left, _BLANK), (text, _NOTE)], width)
    return rows


@dataclass(frozen=True)
class _Plan:
    """How each series is drawn: glyph, style code and draw order."""

    glyphs: tuple[str, ...]
    codes: tuple[str, ...]
    order: tuple[int, ...]


def _plan(series: Sequence[Series]) -> _Plan:
    used: dict[str, int] = {kind: 0 for kind in _GLYPHS}
    glyph_owner: dict[str, int] = {}
    glyphs: list[str] = []
    codes: list[str] = []
    for index, item in enumerate(series):
        pool = _GLYPHS[item.kind]
        glyph = pool[used[item.kind] % len(pool)]
        used[item.kind] += 1
        owner = glyph_owner.setdefault(glyph, index)
        glyphs.append(glyph)
        codes.append(_series_code(owner))
    # Bands under baselines under lines under markers; stable within a kind, except that
    # wider bands go under narrower ones, so that one series' bands never bury another's
    # (on the stocks chart Russia's wide bands would cover North Korea's narrow ones).
    rank = {"band": 0, "baseline": 1, "line": 2, "markers": 3}
    order = sorted(range(len(series)), key=lambda i: (rank[series[i].kind], -_band_width(series[i]), i))
    return _Plan(tuple(glyphs), tuple(codes), tuple(order))


def _band_width(series: Series) -> float:
    """A band's mean height over the months it has (0 for any other series)."""
    if series.kind != "band" or series.y_high is None:
        return 0.0
    spans = [high - low for low, high in zip(series.y, series.y_high, strict=False) if not math.isnan(high - low)]
    return sum(spans) / len(spans) if spans else 0.0


def _legend_rows(data: ChartData, plan: _Plan, width: int, max_rows: int) -> list[Row]:
    """Legend entries ``glyph label`` wrapped over at most ``max_rows`` rows.

    Entries are three spaces apart, or two when that is what lets every entry show; an
    entry that still does not fit is replaced by an ellipsis.
    """
    if max_rows <= 0 or not data.series:
        return []
    entries = [
        [(plan.glyphs[index], plan.codes[index]), (" " + item.label, _LEGEND)] for index, item in enumerate(data.series)
    ]
    lines, complete = _wrap_legend(entries, width, max_rows, _LEGEND_SEPARATOR)
    if not complete:
        lines = _wrap_legend(entries, width, max_rows, _LEGEND_SEPARATOR[:-1])[0]
    return [_compose(pieces, width) for pieces in lines if pieces]


def _wrap_legend(
    entries: list[list[tuple[str, str]]], width: int, max_rows: int, separator_text: str
) -> tuple[list[list[tuple[str, str]]], bool]:
    """Entries over rows ``width`` wide; whether all of them fitted in ``max_rows``."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for entry in entries:
        entry_width = sum(cell_len(text) for text, _ in entry)
        separator = separator_text if lines[-1] else ""
        if lines[-1] and used + len(separator) + entry_width > width:
            if len(lines) == max_rows:
                lines[-1].append((separator_text + "…", _LEGEND))
                return lines, False
            lines.append([])
            used = 0
            separator = ""
        lines[-1].extend([(separator, _LEGEND), *entry])
        used += len(separator) + entry_width
    return lines, True


def _finite(values: Iterable[float]) -> list[float]:
    return [value for value in values if not math.isnan(value)]


class _Translator(dict[int, str]):
    """``str.translate`` table giving a style code for every character.

    Known glyphs map to their series, box-drawing characters to the frame,
    spaces to blank and anything else to tick text; unknown characters are
    remembered after the first lookup.
    """

    def __init__(self, glyph_codes: dict[str, str]) -> None:
        super().__init__({ord(glyph): code for glyph, code in glyph_codes.items()})
        self[ord(" ")] = _BLANK

    def __missing__(self, key: int) -> str:
        code = _FRAME if 0x2500 <= key <= 0x257F else _TICK
        self[key] = code
        return code


_TICK_TRANSLATOR = _Translator({})


class _Figure:
    """A private plotext 6 figure; one per chart so charts never share state."""

    def __init__(self) -> None:
        # Imported on first use: loading plotext (and its C kernel) takes about
        # 0.1 s, which modules merely importing this one should not pay.
        import plotext

        terminal = type(plotext.terminal)()
        terminal.limit(False, False)  # never clamp the figure to the real terminal size
        self.figure: Any = terminal._master
        self._framed = False

    def draw(
        self,
        data: ChartData,
        plan: _Plan,
        width: int,
        height: int,
        n_months: int,
        y_ticks: Sequence[float],
        y_labels: Sequence[str],
        x_positions: Sequence[int],
        x_labels: Sequence[str],
    ) -> list[str]:
        """Build the figure at ``width`` x ``height`` and return its colourless rows."""
        fig = self.figure
        fig.clear.data()
        fig.plot_size(width, height)
        if not self._framed:
            # Lower x axis and left y axis only: an open "L" frame.
            fig.axes(False, axis=0, side=1)
            fig.axes(False, axis=1, side=1)
            self._framed = True
        if n_months <= 1:
            fig.ruler("x").lim(-1, 1)
        else:
            fig.ruler("x").lim(0, n_months - 1)
        fig.ruler("x").ticks(list(x_positions), list(x_labels))
        fig.ruler("y").lim(y_ticks[0], y_ticks[-1])
        fig.ruler("y").ticks(list(y_ticks), list(y_labels))
        for index in plan.order:
            for signal in self._signals(data.series[index], plan.glyphs[index]):
                fig.draw(signal)
        text: str = fig.build().string(colorless=True)
        return text.split("\n")

    def _signals(self, series: Series, glyph: str) -> list[Any]:
        fig = self.figure
        y = series.y
        xs = series.x if series.x is not None else tuple(float(i) for i in range(len(y)))
        high = series.y_high if series.kind == "band" else None
        kept = [
            i
            for i, (x, value) in enumerate(zip(xs, y, strict=False))
            if not (
                math.isnan(x) or math.isnan(value) or (high is not None and (i >= len(high) or math.isnan(high[i])))
            )
        ]
        # A kept point whose predecessor in the series was a gap starts a new segment.
        breaks = [k for k in range(1, len(kept)) if kept[k] - kept[k - 1] > 1]
        px = [xs[i] for i in kept]
        if high is not None:
            upper = fig.signal(px, [high[i] for i in kept], marker=glyph)
            lower = fig.signal(px, [y[i] for i in kept], marker=glyph)
            for edge in (upper, lower):
                edge.lines(True).density("full")
                for k in breaks:
                    edge.line(k, False)
            upper.fill(lower)
            return [upper, lower]
        signal = fig.signal(px, [y[i] for i in kept], marker=glyph)
        if series.kind != "markers":
            signal.lines(True).density("full")
            for k in breaks:
                signal.line(k, False)
        return [signal]


def layout_rows(data: ChartData | None, width: int, height: int, figure: _Figure) -> list[Row]:
    """Compose every row of the chart at ``width`` x ``height`` cells."""
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return _note_rows(TOO_SMALL_NOTE, width, height)
    if data is None:
        return _note_rows(NO_DATA_NOTE, width, height)
    plan = _plan(data.series)

    rows: list[Row] = []
    unit_row = bool(data.y_unit) and height >= 12
    if data.title or data.y_unit:
        pieces = [(data.title, _TITLE)]
        if data.y_unit and not unit_row:
            pieces.append(((" " if data.title else "") + f"({data.y_unit})", _UNIT))
        rows.append(_compose(pieces, width))
    if unit_row:
        rows.append(_compose([(data.y_unit, _UNIT)], width))
    available = height - len(rows)
    legend = _legend_rows(data, plan, width, max_rows=2)
    if len(legend) > 1 and available - len(legend) < 8:
        legend = _legend_rows(data, plan, width, max_rows=1)
    if available - len(legend) < 4:
        legend = []
    fig_height = available - len(legend)

    n_months = max([len(data.x_labels)] + [len(s.y) for s in data.series if s.x is None])
    values: list[float] = []
    for item in data.series:
        values.extend(_finite(item.y))
        if item.y_high is not None:
            values.extend(_finite(item.y_high))
    canvas_height = max(fig_height - 2, 1)
    max_ticks = max(2, min(8, canvas_height // 3 + 1))
    y_ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0), max_ticks)
    y_labels = _tick_labels(y_ticks)
    label_width = max(len(label) for label in y_labels)
    canvas_width = width - label_width - 1
    x_positions, x_texts = month_ticks(data.x_labels, canvas_width)

    figure_rows = figure.draw(data, plan, width, fig_height, n_months, y_ticks, y_labels, x_positions, x_texts)
    series_table = _Translator({plan.glyphs[i]: plan.codes[i] for i in range(len(data.series))})
    axis_row = fig_height - 2
    for index in range(fig_height):
        line = figure_rows[index] if index < len(figure_rows) else ""
        line = line[:width].ljust(width)
        table = series_table if index < axis_row else _TICK_TRANSLATOR
        rows.append((line, line.translate(table)))
    if not values:
        top = len(rows) - fig_height
        middle = top + max(axis_row, 1) // 2
        text, codes = rows[middle]
        start = label_width + 1 + max(0, (canvas_width - len(NO_DATA_NOTE)) // 2)
        end = min(start + len(NO_DATA_NOTE), width)
        note = NO_DATA_NOTE[: end - start]
        rows[middle] = (
            text[:start] + note + text[end:],
            codes[:start] + _NOTE * len(note) + codes[end:],
        )
    rows.extend(legend)
    while len(rows) < height:
        rows.append((" " * width, _BLANK * width))
    return rows[:height]


def _changed_span(old: Row, new: Row) -> tuple[int, int] | None:
    """First and one-past-last character index where two rows differ, or None."""
    if old == new:
        return None
    old_text, old_codes = old
    new_text, new_codes = new
    length = min(len(old_text), len(new_text))
    start = 0
    while start < length and old_text[start] == new_text[start] and old_codes[start] == new_codes[start]:
        start += 1
    end_old, end_new = len(old_text), len(new_text)
    while (
        end_old > start
        and end_new > start
        and old_text[end_old - 1] == new_text[end_new - 1]
        and old_codes[end_old - 1] == new_codes[end_new - 1]
    ):
        end_old -= 1
        end_new -= 1
    return start, max(end_old, end_new)


# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------


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
        _BLANK: base,
        _TITLE: base + Style(color=foreground.rich_color, bold=True),
        _LEGEND: base + Style(color=foreground.rich_color),
        _UNIT: base + muted(foreground, 0.35) + Style(italic=True),
        _NOTE: base + muted(foreground, 0.35) + Style(italic=True),
        _FRAME: base + muted(foreground, 0.55),
        _TICK: base + muted(foreground, 0.3),
    }
    accent_index = 0
    for index, item in enumerate(series):
        code = _series_code(index)
        if item.kind == "baseline":
            style = muted(foreground, 0.5)
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
    text, codes = row
    fallback = styles[_BLANK]
    segments = [
        Segment(text[match.start() : match.end()], styles.get(match.group(1) or _BLANK, fallback))
        for match in _RUNS.finditer(codes)
    ]
    cells = width if text.isascii() or cell_len(text) == len(text) else None
    return Strip(segments, cells)


# ---------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------


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
        self._figure: _Figure | None = None
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
        if self._figure is None:
            self._figure = _Figure()
        size = self.size
        try:
            rows = layout_rows(self._data, size.width, size.height, self._figure)
        except Exception:  # a chart that cannot be drawn must not take the app down
            self.log.error("chart could not be drawn", traceback.format_exc())
            rows = _note_rows(ERROR_NOTE, size.width, size.height)
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
            span = _changed_span(old, new)
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
            return Strip.blank(size.width, styles[_BLANK])
        strip = self._strips[y]
        if strip is None:
            strip = self._strips[y] = _strip(self._rows[y], styles, size.width)
        return strip
