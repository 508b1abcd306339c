"""Lines, bands and bars cut to a box: what lies outside a figure's axes never reaches plotext.

plotext 6.1's C kernel aborts the whole process (no exception, no cleanup) on some lines
that leave the figure: a line drawn cell by cell ("full" density, as every line and fill of
:class:`~ammoflow.tui.render.plotext_canvas.Canvas` is) to a point more than about half a
cell left of the x axis's first value or above the y axis's last one miscounts its points
(the kernel truncates negative cell positions towards zero) and fails an assertion; a line
to a non-finite value, or to one millions of cells away, asks for memory it cannot have and
ends in ``std::bad_alloc``. The canvas therefore hands the kernel only what this module has
cut to a box a little inside the figure's edge cells, drawn as the figure would show it: a
line leaving the box ends at its edge and starts again where it comes back, a band keeps the
part of its fill inside, a bar the part of its length inside. Non-finite points are gaps.

Every function returns its input unchanged when it lies inside already (the charts keep
their data inside their axes), so a drawing inside the axes stays cell for cell what
plotext draws of it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

__all__ = ["Box", "clip_band", "clip_bars", "clip_line", "inside"]

Box = tuple[float, float, float, float]
"""x low, x high, y low, y high; an axis whose values are all drawn at one place is (-inf, inf)."""

Point = tuple[float, float]


def inside(values: Sequence[float], low: float, high: float) -> bool:
    """Whether every value is finite and within ``[low, high]``: the cheap test all drawings pass.

    The sum catches a NaN that ``min`` and ``max`` would pass over (``min([1, nan])`` is 1).
    """
    return not values or (low <= min(values) and max(values) <= high and math.isfinite(sum(values)))


def _runs(count: int, breaks: Sequence[int]) -> list[range]:
    """The indices ``0..count-1`` cut before every index in ``breaks``: the parts drawn joined."""
    cuts = sorted({0, count, *(index for index in breaks if 0 < index < count)})
    return [range(start, end) for start, end in itertools.pairwise(cuts)]


def _window(start: float, end: float, low: float, high: float) -> tuple[float, float] | None:
    """The part ``[t0, t1]`` of ``t`` in [0, 1] where ``start + t (end - start)`` lies in ``[low, high]``.

    Worked on halves, so that the difference of two values near the float limit stays finite.
    """
    step = end * 0.5 - start * 0.5
    if step == 0:
        return (0.0, 1.0) if low <= start <= high else None
    first = (low * 0.5 - start * 0.5) / step
    second = (high * 0.5 - start * 0.5) / step
    t0, t1 = max(0.0, min(first, second)), min(1.0, max(first, second))
    return (t0, t1) if t0 <= t1 else None


def _at(start: float, end: float, t: float) -> float:
    """The value a fraction ``t`` of the way from ``start`` to ``end`` (the ends exactly at 0 and 1)."""
    if t == 0.0:
        return start
    if t == 1.0:
        return end
    return (1.0 - t) * start + t * end


def _finite(*values: float) -> bool:
    return all(math.isfinite(value) for value in values)


class _Path:
    """Points being joined into lines: a point not joined to the one before starts a new line."""

    def __init__(self, columns: int) -> None:
        self.columns: list[list[float]] = [[] for _ in range(columns)]
        self.breaks: list[int] = []
        self._joined_up = False  # the last point added is where the next piece starts

    def add(self, start: Sequence[float], end: Sequence[float], *, from_last: bool, to_end: bool) -> None:
        """A piece from ``start`` to ``end``; ``from_last`` when ``start`` is the last point added."""
        count = len(self.columns[0])
        if not (from_last and self._joined_up and count):
            if count:
                self.breaks.append(count)
            for column, value in zip(self.columns, start, strict=True):
                column.append(value)
        if end is not start:
            for column, value in zip(self.columns, end, strict=True):
                column.append(value)
        self._joined_up = to_end

    def cut(self) -> None:
        self._joined_up = False


def clip_line(
    xs: Sequence[float], ys: Sequence[float], breaks: Sequence[int], box: Box
) -> tuple[Sequence[float], Sequence[float], Sequence[int]]:
    """The parts of a line (points joined but across ``breaks``) inside ``box``, with their breaks."""
    x_low, x_high, y_low, y_high = box
    if inside(xs, x_low, x_high) and inside(ys, y_low, y_high):
        return xs, ys, breaks
    path = _Path(2)
    for run in _runs(len(xs), breaks):
        path.cut()
        if len(run) == 1:
            x, y = xs[run[0]], ys[run[0]]
            if _finite(x, y) and x_low <= x <= x_high and y_low <= y <= y_high:
                point = (x, y)
                path.add(point, point, from_last=False, to_end=False)
            continue
        for index in run[1:]:
            x0, y0, x1, y1 = xs[index - 1], ys[index - 1], xs[index], ys[index]
            piece = _piece_inside(x0, y0, x1, y1, box) if _finite(x0, y0, x1, y1) else None
            if piece is None:
                path.cut()
                continue
            start, end = piece
            path.add(start, end, from_last=start == (x0, y0), to_end=end == (x1, y1))
    return path.columns[0], path.columns[1], path.breaks


def _piece_inside(x0: float, y0: float, x1: float, y1: float, box: Box) -> tuple[Point, Point] | None:
    """The part of the segment inside ``box`` (Cohen and Sutherland's way), or None.

    An end outside is moved along the segment onto the side it lies beyond, its other
    coordinate worked out from the ends (not from a fraction of the way, which cannot place
    a point near an end 1e300 away), until both ends are inside or both beyond one side.
    """
    start, end = (x0, y0), (x1, y1)
    for _ in range(8):  # each move puts an end on a side; four sides, two ends
        start_out, end_out = _outside(start, box), _outside(end, box)
        if not (start_out or end_out):
            return start, end
        if start_out & end_out:
            return None
        if start_out:
            start = _onto(start, end, start_out, box)
        else:
            end = _onto(end, start, end_out, box)
    return None


_LEFT, _RIGHT, _BELOW, _ABOVE = 1, 2, 4, 8


def _outside(point: Point, box: Box) -> int:
    """Which sides of ``box`` the point lies beyond, as bits."""
    x, y = point
    return (_LEFT if x < box[0] else _RIGHT if x > box[1] else 0) | (
        _BELOW if y < box[2] else _ABOVE if y > box[3] else 0
    )


def _onto(point: Point, other: Point, sides: int, box: Box) -> Point:
    """``point`` moved along the line to ``other`` onto one of the ``sides`` it lies beyond.

    Worked out from whichever end is nearer that side: a point near one end of a segment
    1e300 long is placed precisely only from that end.
    """
    (x, y), (ox, oy) = point, other
    if sides & (_LEFT | _RIGHT):
        bound = box[0] if sides & _LEFT else box[1]
        return bound, _along(x, y, ox, oy, bound)
    bound = box[2] if sides & _BELOW else box[3]
    return _along(y, x, oy, ox, bound), bound


def _along(a: float, b: float, other_a: float, other_b: float, bound: float) -> float:
    """Where the line through ``(a, b)`` and ``(other_a, other_b)`` has ``bound`` as its first coordinate."""
    if abs(bound - other_a) < abs(bound - a):
        a, b, other_a, other_b = other_a, other_b, a, b
    step = other_a * 0.5 - a * 0.5
    if step == 0:  # ends a subnormal apart: halving made them one
        return b
    return _towards(b, other_b, (bound * 0.5 - a * 0.5) / step)


def _towards(start: float, end: float, fraction: float) -> float:
    """The value ``fraction`` of the way from ``start`` to ``end``, without overflowing on the way."""
    half = (end * 0.5 - start * 0.5) * fraction
    return start + half + half


def clip_band(
    xs: Sequence[float], lows: Sequence[float], highs: Sequence[float], breaks: Sequence[int], box: Box
) -> tuple[Sequence[float], Sequence[float], Sequence[float], Sequence[int]]:
    """The part of a band (the space between two lines) inside ``box``, as a band with its breaks.

    Each edge is cut where it crosses the top or the bottom of the box, and clamped to it in
    between: the fill from a clamped edge to the other is the part of the band in sight.
    Where both edges lie beyond the same side, there is nothing to fill and the band breaks.
    """
    x_low, x_high, y_low, y_high = box
    if inside(xs, x_low, x_high) and inside(lows, y_low, y_high) and inside(highs, y_low, y_high):
        return xs, lows, highs, breaks
    path = _Path(3)
    for run in _runs(len(xs), breaks):
        path.cut()
        if len(run) == 1:
            x, low, high = xs[run[0]], lows[run[0]], highs[run[0]]
            if _finite(x, low, high) and x_low <= x <= x_high and _overlaps(low, high, y_low, y_high):
                point = (x, _clamp(low, y_low, y_high), _clamp(high, y_low, y_high))
                path.add(point, point, from_last=False, to_end=False)
            continue
        for index in run[1:]:
            before, after = index - 1, index
            ends = (xs[before], lows[before], highs[before], xs[after], lows[after], highs[after])
            across = _window(ends[0], ends[3], x_low, x_high) if _finite(*ends) else None
            if across is None:
                path.cut()
                continue
            for t0, t1 in _pieces(ends, across, y_low, y_high):
                low0, high0 = _at(ends[1], ends[4], t0), _at(ends[2], ends[5], t0)
                low1, high1 = _at(ends[1], ends[4], t1), _at(ends[2], ends[5], t1)
                middle = (_at(ends[1], ends[4], (t0 + t1) / 2), _at(ends[2], ends[5], (t0 + t1) / 2))
                if not _overlaps(*middle, y_low, y_high):
                    path.cut()
                    continue
                x0, x1 = (
                    _clamp(_at(ends[0], ends[3], t0), x_low, x_high),
                    _clamp(_at(ends[0], ends[3], t1), x_low, x_high),
                )
                start = (x0, _clamp(low0, y_low, y_high), _clamp(high0, y_low, y_high))
                end = (x1, _clamp(low1, y_low, y_high), _clamp(high1, y_low, y_high))
                path.add(start, end, from_last=t0 == 0.0, to_end=t1 == 1.0)
    return path.columns[0], path.columns[1], path.columns[2], path.breaks


def _pieces(ends: tuple[float, ...], across: tuple[float, float], low: float, high: float) -> list[tuple[float, float]]:
    """``across`` cut wherever either edge crosses ``low`` or ``high``: in each piece every edge
    stays on one side of each, so clamping it keeps it straight."""
    cuts = {across[0], across[1]}
    for start, end in ((ends[1], ends[4]), (ends[2], ends[5])):
        step = end * 0.5 - start * 0.5
        if step != 0:
            for bound in (low, high):
                t = (bound * 0.5 - start * 0.5) / step
                if across[0] < t < across[1]:
                    cuts.add(t)
    ordered = sorted(cuts)
    if len(ordered) == 1:
        return [(ordered[0], ordered[0])]
    return list(itertools.pairwise(ordered))


def _overlaps(one: float, other: float, low: float, high: float) -> bool:
    """Whether the span between two values meets ``[low, high]``."""
    return min(one, other) <= high and max(one, other) >= low


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def clip_bars(
    ys: Sequence[float], base: float, ends: Sequence[float], glyphs: Sequence[str], width: float, box: Box
) -> tuple[list[float], list[float], list[float], list[str]]:
    """Horizontal bars from ``base`` to each end, cut to the box across: heights, starts, ends, glyphs.

    A bar with a non-finite end, none of its length inside, or its thickness (``width``
    about its height) not inside the box, is left out.
    """
    x_low, x_high, y_low, y_high = box
    heights: list[float] = []
    starts: list[float] = []
    stops: list[float] = []
    kept: list[str] = []
    half = width / 2
    for y, end, glyph in zip(ys, ends, glyphs, strict=True):
        if not (_finite(y, base, end) and y_low <= y - half and y + half <= y_high):
            continue
        if max(base, end) < x_low or min(base, end) > x_high:
            continue
        heights.append(y)
        starts.append(_clamp(base, x_low, x_high))
        stops.append(_clamp(end, x_low, x_high))
        kept.append(glyph)
    return heights, starts, stops, kept
