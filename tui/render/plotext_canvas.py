"""The one adapter to plotext 6: a private figure drawn as colourless text.

Every drawing made with plotext goes through :class:`Canvas`, which holds the only
calls to plotext's API. The figure is taken *colourless*
(``matrix.string(colorless=True)``): each series is drawn with its own glyph, and the
caller maps the glyphs back to style codes, so the drawing reads without colour and
takes the theme's colours when there are some.

What is drawn is kept until :meth:`Canvas.rows`, when the axes' ranges are known, and
cut there to the figure (:mod:`ammoflow.tui.render.canvas_clip`): plotext 6.1's kernel
aborts the process on some lines leaving the figure, and a drawing's range may be set
after the drawing (the tornado sets it after its bars).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ammoflow.tui.render.canvas_clip import Box, clip_band, clip_bars, clip_line

__all__ = ["Canvas"]

EDGE = 0.49
"""How far past an axis's ends a drawing may reach, in cells. The kernel puts an axis's ends
in the middles of the edge cells (``rescale_element`` in plotext's ``utility/8_data.cpp``),
so less than half a cell keeps every point in the figure, where the kernel counts right."""


def _axis_box(limits: tuple[float, float] | None, cells: int) -> tuple[float, float]:
    """The values an axis may draw, ``limits`` and a little less than half a cell either side.

    The figure is ``cells`` wide along the axis; the axis takes at most as many, so the cell
    is at least ``span / (cells - 1)`` (the kernel spans ``bins - 1.003`` cells). Without a
    range (plotext fits it to the data) or with an empty one (the kernel draws every value
    in the middle), any finite value is drawn where plotext would draw it.
    """
    if limits is None:
        return -math.inf, math.inf
    low, high = min(limits), max(limits)
    span = high - low
    if span == 0:
        return -math.inf, math.inf
    if not math.isfinite(span):
        return low, high
    margin = EDGE * span / max(cells - 1.0, 0.01)
    return low - margin, high + margin


class Canvas:
    """A private plotext 6 figure; one per drawing, so drawings never share state."""

    def __init__(self) -> None:
        # Imported on first use: loading plotext (and its C kernel) takes about
        # 0.1 s, which modules merely importing this one should not pay.
        import plotext
        from plotext._correct import marker as correct_marker
        from plotext._kernel.clink import clink
        from plotext._signal.signal import signal_class

        terminal = type(plotext.terminal)()
        terminal.limit(False, False)  # never clamp the figure to the real terminal size
        self._figure: Any = terminal._master
        self._open_frame = False
        self._kernel: Any = clink
        self._signal_class: Any = signal_class
        self._correct_marker: Any = correct_marker
        self._markers: dict[str, Any] = {}  # glyph -> its plotext marker, made once
        self._size = (0, 0)
        self._x_limits: tuple[float, float] | None = None
        self._y_limits: tuple[float, float] | None = None
        self._drawing: list[Callable[[Box], None]] = []  # in order, for rows() to draw on the final box

    def start(self, width: int, height: int) -> None:
        """Forget the data drawn before and size the figure to ``width`` x ``height`` cells."""
        self._figure.clear.data()
        self._figure.plot_size(width, height)
        self._size = (width, height)
        self._x_limits = self._y_limits = None
        self._drawing.clear()

    def open_frame(self) -> None:
        """Lower x axis and left y axis only: an open "L" frame (kept across :meth:`start`)."""
        if not self._open_frame:
            self._figure.axes(False, axis=0, side=1)
            self._figure.axes(False, axis=1, side=1)
            self._open_frame = True

    def no_frame(self) -> None:
        """No axes at all: the data cells fill the figure."""
        self._figure.axes(False)

    def x_range(self, low: float, high: float) -> None:
        self._figure.ruler("x").lim(low, high)
        self._x_limits = (low, high)

    def y_range(self, low: float, high: float) -> None:
        self._figure.ruler("y").lim(low, high)
        self._y_limits = (low, high)

    def x_ticks(self, positions: Sequence[float], labels: Sequence[str] | None = None) -> None:
        """Ticks on the x axis at ``positions``, labelled ``labels``; none when both are empty."""
        self._ticks("x", positions, labels)

    def y_ticks(self, positions: Sequence[float], labels: Sequence[str] | None = None) -> None:
        """Ticks on the y axis at ``positions``, labelled ``labels``; none when both are empty."""
        self._ticks("y", positions, labels)

    def _ticks(self, axis: str, positions: Sequence[float], labels: Sequence[str] | None) -> None:
        # In order with the drawing: a bar chart puts its own ticks on the y ruler.
        ruler, at = self._figure.ruler(axis), list(positions)
        if labels is None:
            self._drawing.append(lambda _box: ruler.ticks(at))
        else:
            named = list(labels)
            self._drawing.append(lambda _box: ruler.ticks(at, named))

    def line(self, xs: Sequence[float], ys: Sequence[float], glyph: str, *, breaks: Sequence[int] = ()) -> None:
        """Points joined by lines of ``glyph``; no line leads into a point whose index is in ``breaks``.

        The parts outside the axes are left out, a non-finite point is a gap.
        """
        xs, ys, breaks = tuple(xs), tuple(ys), tuple(breaks)  # drawn at rows(): as they are now
        self._drawing.append(lambda box: self._add(self._joined(*clip_line(xs, ys, breaks, box), glyph)))

    def markers(self, xs: Sequence[float], ys: Sequence[float], glyph: str) -> None:
        """Points alone, each drawn as ``glyph`` (plotext leaves out those outside the figure)."""
        at, values = list(xs), list(ys)
        self._drawing.append(lambda _box: self._figure.draw(self._figure.signal(at, values, marker=glyph)))

    def band(
        self,
        xs: Sequence[float],
        lows: Sequence[float],
        highs: Sequence[float],
        glyph: str,
        *,
        breaks: Sequence[int] = (),
        lower_edge: bool = True,
    ) -> None:
        """The space between two lines filled with ``glyph`` (breaks as in :meth:`line`).

        Without ``lower_edge``, the lower line is left out (the fill reaches it all the same):
        for a caller that draws the edges over the fill afterwards. The fill is plotext's own
        (each point of the upper line filled down to the point of the lower one), set on the
        kernel's signal point by point: plotext's ``signal.fill`` and ``draw`` make Python
        objects for every point (a band took three times a line to draw). The part outside
        the axes is left out, a non-finite point is a gap.
        """
        xs, lows, highs, breaks = tuple(xs), tuple(lows), tuple(highs), tuple(breaks)
        self._drawing.append(lambda box: self._band(*clip_band(xs, lows, highs, breaks, box), glyph, lower_edge))

    def _band(
        self,
        xs: Sequence[float],
        lows: Sequence[float],
        highs: Sequence[float],
        breaks: Sequence[int],
        glyph: str,
        lower_edge: bool,
    ) -> None:
        upper = self._joined(xs, highs, breaks, glyph)
        marker = self._marker(glyph)._pointer
        set_fill = self._kernel.signal_set_fill_point
        pointer = upper._pointer
        for index, (x, y) in enumerate(zip(xs, lows, strict=True)):
            set_fill(pointer, index, x, y, marker)
        self._add(upper)
        if lower_edge:
            self._add(self._joined(xs, lows, breaks, glyph))

    def _marker(self, glyph: str) -> Any:
        """The marker plotext's ``signal`` would make for ``glyph`` (its pixel is the default:
        the figure is read colourless)."""
        marker = self._markers.get(glyph)
        if marker is None:
            marker = self._correct_marker.marker(glyph, self._figure._next_marker())
            self._markers[glyph] = marker
        return marker

    def _joined(self, xs: Sequence[float], ys: Sequence[float], breaks: Sequence[int], glyph: str) -> Any:
        """Points joined by lines, built on the kernel as plotext's ``signal(...).lines(True)`` does,
        without a Python object per point."""
        kernel, marker = self._kernel, self._marker(glyph)
        signal = self._signal_class(len(xs))
        pointer, marker_pointer = signal._pointer, marker._pointer
        append, connect = kernel.signal_append_point, kernel.signal_set_connected
        for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
            append(pointer, float(x), float(y), marker_pointer)
            connect(pointer, index, True)
        for index in breaks:
            if 0 <= index < len(xs):
                connect(pointer, index, False)
        signal._set_marker(marker)
        kernel.signal_set_line_method(pointer, True)  # density("full"): lines and fills through every cell crossed
        kernel.signal_set_fill_method(pointer, True)
        return signal

    def _add(self, signal: Any) -> None:
        """``signal`` onto the figure, as plotext's ``draw`` does but for the colour cycle's
        bookkeeping, which walks every point and which a colourless figure does not use."""
        self._figure._signals._add(signal)

    def horizontal_bars(
        self, ys: Sequence[float], base: float, ends: Sequence[float], glyphs: Sequence[str], *, width: float
    ) -> None:
        """Floating horizontal bars from ``base`` to each end, at heights ``ys``, one glyph each.

        A bar is cut to the x axis's range; one with no length or not all its ``width`` inside is left out.
        """

        ys, ends, glyphs = tuple(ys), tuple(ends), tuple(glyphs)

        def draw(box: Box) -> None:
            heights, starts, stops, kept = clip_bars(ys, base, ends, glyphs, width, box)
            if heights:
                bars = self._figure.bar(heights, starts, stops, orientation="h", marker=kept, width=width)
                self._figure.draw(bars)

        self._drawing.append(draw)

    def vertical_line(self, x: float) -> None:
        """A rule across the figure at ``x``; a ValueError for a non-finite one (it is nowhere)."""
        if not math.isfinite(x):
            raise ValueError(f"a vertical line at {x} cannot be drawn")
        self._figure.line(x, orientation="v")

    def rows(self) -> list[str]:
        """The figure as colourless text, one string per row: what was drawn, cut to the axes."""
        width, height = self._size
        box = (*_axis_box(self._x_limits, width), *_axis_box(self._y_limits, height))
        for draw in self._drawing:
            draw(box)
        self._drawing.clear()
        text: str = self._figure.build().string(colorless=True)
        return text.split("\n")
