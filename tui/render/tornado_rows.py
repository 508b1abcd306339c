"""A tornado chart as rows of cells: which assumption moves a key figure most.

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
"never" being the horizon (``docs/model.md``). Names are the parameter labels, as on the
sliders, long ones cut in the middle when the pane is narrow. The first
column is left blank for the widget's cursor.

The bars are a plotext horizontal floating bar chart drawn through the one adapter
(:class:`~ammoflow.tui.render.plotext_canvas.Canvas`) on a canvas one row per parameter
with no axes or ticks, taken colourless. Names and numbers are composed around the
canvas here rather than by plotext, because plotext's tick labels cannot carry a number
at each end of a row, and because exact columns are needed for them. Each glyph maps
back to what it shows (``░`` low, ``█`` high, box drawing the base line), which gives
the colours and keeps the chart readable without them. Of each parameter's two bars the
longer is drawn first, so when both ends fall on one side of the base value (a scenario
value outside the uncertainty range) both stay visible.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from ammoflow.scenarios.analysis.sensitivity import Bar, Tornado, format_short_value, format_value
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.numbers import format_number
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.render.cells import BLANK, Row, compose, elide
from ammoflow.tui.render.marks import ERROR_MARK
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.words import label_of

__all__ = [
    "BASE",
    "HIGH",
    "HIGH_GLYPH",
    "LOW",
    "LOW_GLYPH",
    "NAME",
    "NOTE",
    "VALUE",
    "describe_bar",
    "error_rows",
    "tornado_rows",
]

LOW_GLYPH = "░"
HIGH_GLYPH = "█"
NO_EFFECT = "no effect"
NO_BASE = (
    "No bars: {figure} has no value as the scenario stands, so there is nothing to swing from."
    " Beside each parameter: the figure at the low end of its range, then at the high end."
)
MIN_CANVAS = 6
MIN_NAME = 12
MAX_NAME = 45

# Style codes, one per cell (blank is cells.BLANK).
NAME = "N"
VALUE = "V"
LOW = "L"
HIGH = "H"
BASE = "B"
NOTE = "T"


def _names(bars: Sequence[Bar], width: int) -> list[str]:
    """Row names: the labels, the long ones cut in the middle (never the keys: the sliders are labelled)."""
    return [elide(bar.label, width) for bar in bars]


def _wrap_note(prefix: str, items: Sequence[str], width: int) -> list[Row]:
    """``prefix`` and the comma-separated ``items`` over as many rows as they need."""
    rows: list[Row] = []
    line = prefix
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if len(line) + 1 + len(piece) > width and line.strip():
            rows.append(compose([(line, NOTE)], width))
            line = "  " + piece
        else:
            line = f"{line} {piece}" if line else piece
    if line.strip():
        rows.append(compose([(line, NOTE)], width))
    return rows


def _bars_canvas(canvas: Canvas, result: Tornado, width: int) -> list[str]:
    """One canvas row per bar of ``result``, ``width`` cells wide, top bar first."""
    bars = result.bars
    count = len(bars)
    canvas.start(width, count)
    canvas.no_frame()
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
            canvas.horizontal_bars(
                [y for y, _, _ in group],
                base,
                [end for _, end, _ in group],
                [glyph for _, _, glyph in group],
                width=0.8,
            )
    canvas.vertical_line(base)
    # Set after the bars: a bar chart puts its own ticks on the y ruler.
    canvas.x_ticks([])
    canvas.y_ticks([])
    canvas.x_range(low, high)
    if count > 1:
        canvas.y_range(1, count)
    else:
        canvas.y_range(0.5, 1.5)
    lines = canvas.rows()
    return [(lines[i] if i < len(lines) else "")[:width].ljust(width) for i in range(count)]


def _canvas_codes(line: str) -> str:
    codes: list[str] = []
    for char in line:
        if char == LOW_GLYPH:
            codes.append(LOW)
        elif char == HIGH_GLYPH:
            codes.append(HIGH)
        elif char == " ":
            codes.append(BLANK)
        elif 0x2500 <= ord(char) <= 0x257F:
            codes.append(BASE)
        else:
            codes.append(NOTE)
    return "".join(codes)


def tornado_rows(result: Tornado, scenario: Scenario, width: int, canvas: Canvas | None = None) -> list[Row]:
    """Every row of the bars, ``width`` cells wide: one per bar, then the note on fixed parameters.

    Row ``i`` (for ``i < len(result.bars)``) is bar ``i``; the cursor column comes first
    and is left blank here.
    """
    rows: list[Row] = []
    bars = result.bars
    # A figure with no value as the scenario stands (a share of no supply, months of fire at no
    # fire) leaves no base for the bars to start from: each row gives the figure at the low and
    # the high end of the parameter's range instead, as the command line lists them.
    no_base = not math.isfinite(result.base)
    if bars:
        canvas = canvas or Canvas()
        if no_base:
            left = [format_short_value(result.figure_key, b.at_low, scenario) for b in bars]
            right = [format_short_value(result.figure_key, b.at_high, scenario) for b in bars]
        else:
            left = [format_short_value(result.figure_key, min(b.at_low, b.at_high), scenario) for b in bars]
            right = [format_short_value(result.figure_key, max(b.at_low, b.at_high), scenario) for b in bars]
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
        lines = [" " * canvas_width] * len(bars) if no_base else _bars_canvas(canvas, result, canvas_width)
        for i, bar in enumerate(bars):
            if bar.swing == 0 and not no_base:  # no bar to draw: say so across the numbers and the canvas
                head = [(" ", BLANK), (names[i].ljust(name_width), NAME), (" " * (value_width + 2), BLANK)]
                rows.append(compose([*head, (NO_EFFECT, NOTE)], width))
                continue
            rows.append(
                compose(
                    [
                        (" ", BLANK),
                        (names[i].ljust(name_width), NAME),
                        (" ", BLANK),
                        (left[i].rjust(value_width), VALUE),
                        (" ", BLANK),
                        (lines[i], _canvas_codes(lines[i])),
                        (" ", BLANK),
                        (right[i], VALUE),
                    ],
                    width,
                )
            )
    else:
        rows.append(compose([(" every parameter is held fixed: nothing to compare", NOTE)], width))
    if bars and no_base:
        note = NO_BASE.format(figure=FIGURES_BY_KEY[result.figure_key].label)
        rows.extend(compose([(f" {line}", NOTE)], width) for line in textwrap.wrap(note, max(10, width - 1)))
    if result.fixed:
        rows.extend(_wrap_note(" held fixed (a range of one value):", [label_of(key) for key in result.fixed], width))
    return rows


def error_rows(width: int) -> list[Row]:
    """What the bars show when they could not be drawn."""
    return [compose([(f" {ERROR_MARK}the chart could not be drawn", NOTE)], width)]


def describe_bar(bar: Bar, figure_key: str, scenario: Scenario) -> str:
    """The bar in words, three lines: the parameter, then the figure at each end of its range."""
    parameter = registry.BY_KEY.get(bar.key)
    unit = f" ({parameter.unit})" if parameter is not None else ""
    low = format_number(bar.low)
    high = format_number(bar.high)
    if bar.swing == 0:
        return f"{bar.label}{unit}\nno effect from {low} to {high}"
    at_low = format_value(figure_key, bar.at_low, scenario)
    at_high = format_value(figure_key, bar.at_high, scenario)
    return f"{bar.label}{unit}\n{LOW_GLYPH} low {low} → {at_low}\n{HIGH_GLYPH} high {high} → {at_high}"
