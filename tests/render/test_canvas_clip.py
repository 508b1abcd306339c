"""Lines and bands cut to a box keep exactly the part in sight (checked against plain sampling).

A drawing inside the box is handed on as it is, so the charts' drawings stay what plotext
draws of them; one leaving it keeps every point of it inside the box and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.tui.render.canvas_clip import Box, clip_band, clip_bars, clip_line

BOX: Box = (0.0, 10.0, 0.0, 10.0)
TOLERANCE = 1e-6

coordinate = st.one_of(
    st.floats(-30.0, 40.0),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 0.0, 10.0]),
)


def segments(
    xs: Sequence[float], ys: Sequence[float], breaks: Sequence[int]
) -> list[tuple[float, float, float, float]]:
    """The joined pieces of a line: every point joined to the one before but across ``breaks``."""
    return [(xs[i - 1], ys[i - 1], xs[i], ys[i]) for i in range(1, len(xs)) if i not in set(breaks)]


def near_segment(x: float, y: float, pieces: list[tuple[float, float, float, float]]) -> bool:
    """Whether ``(x, y)`` lies on one of the pieces (to a millionth of its length, up to 1e3),
    measured from either end: from the far end of a piece 1e300 long no nearby point resolves."""
    for x0, y0, x1, y1 in [*pieces, *((x1, y1, x0, y0) for x0, y0, x1, y1 in pieces)]:
        length = math.hypot(x1 * 0.5 - x0 * 0.5, y1 * 0.5 - y0 * 0.5) * 2
        if length < 1e-9:  # a point, or near enough that dividing by its length is noise
            if math.hypot(x - x0, y - y0) <= 1e-6:
                return True
            continue
        ux, uy = (x1 / length - x0 / length), (y1 / length - y0 / length)
        tolerance = 1e-6 * max(1.0, min(length, 1e3))
        across = abs(ux * (y - y0) - uy * (x - x0))
        along = (x - x0) * ux + (y - y0) * uy
        if across <= tolerance and -tolerance <= along <= length + tolerance:
            return True
    return False


def in_box(x: float, y: float, margin: float = 0.0) -> bool:
    return BOX[0] + margin <= x <= BOX[1] - margin and BOX[2] + margin <= y <= BOX[3] - margin


@st.composite
def lines(draw: st.DrawFn) -> tuple[list[float], list[float], list[int]]:
    count = draw(st.integers(1, 8))
    xs = draw(st.lists(coordinate, min_size=count, max_size=count))
    ys = draw(st.lists(coordinate, min_size=count, max_size=count))
    breaks = sorted(set(draw(st.lists(st.integers(0, count), max_size=3))))
    return xs, ys, breaks


@settings(max_examples=400, deadline=None)
@given(lines(), st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5))
def test_a_line_keeps_exactly_its_points_inside_the_box(
    line: tuple[list[float], list[float], list[int]], samples: list[float]
) -> None:
    xs, ys, breaks = line
    cut_xs, cut_ys, cut_breaks = clip_line(xs, ys, breaks, BOX)
    assert len(cut_xs) == len(cut_ys)
    assert all(0 <= index <= len(cut_xs) for index in cut_breaks)
    assert all(math.isfinite(x) and math.isfinite(y) and in_box(x, y) for x, y in zip(cut_xs, cut_ys, strict=True))
    original = [piece for piece in segments(xs, ys, breaks) if all(math.isfinite(v) and abs(v) < 1e3 for v in piece)]
    kept = segments(cut_xs, cut_ys, cut_breaks)
    for x0, y0, x1, y1 in kept:  # every piece kept lies on the line
        for t in samples:
            assert near_segment(x0 + t * (x1 - x0), y0 + t * (y1 - y0), segments(xs, ys, breaks))
    for x0, y0, x1, y1 in original:  # every point of the line well inside the box is kept
        for t in samples:
            x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            if in_box(x, y, margin=1e-3) and (x0, y0) != (x1, y1):
                assert near_segment(x, y, kept), (x, y)


def test_a_line_inside_is_handed_on_as_it_is() -> None:
    xs, ys, breaks = [0.0, 5.0, 10.0], [10.0, 0.0, 3.0], [2]
    assert clip_line(xs, ys, breaks, BOX) == (xs, ys, breaks)


def test_a_line_out_and_back_breaks_where_it_is_out_of_sight() -> None:
    cut_xs, cut_ys, cut_breaks = clip_line([0.0, 4.0, 6.0, 10.0], [5.0, 20.0, 20.0, 5.0], [], BOX)
    assert cut_breaks == [2]
    assert cut_xs == pytest.approx([0.0, 4 / 3, 6 + 2 * 4 / 3, 10.0])
    assert cut_ys == [5.0, 10.0, 10.0, 5.0]


@st.composite
def bands(draw: st.DrawFn) -> tuple[list[float], list[float], list[float], list[int]]:
    count = draw(st.integers(2, 6))
    xs = sorted(x / 4 for x in draw(st.lists(st.integers(-40, 80), min_size=count, max_size=count, unique=True)))
    lows = draw(st.lists(st.floats(-30.0, 40.0), min_size=count, max_size=count))
    highs = draw(st.lists(st.floats(-30.0, 40.0), min_size=count, max_size=count))
    breaks = sorted(set(draw(st.lists(st.integers(1, count - 1), max_size=2))))
    return xs, lows, highs, breaks


def between_at(
    x: float, y: float, xs: Sequence[float], lows: Sequence[float], highs: Sequence[float], breaks: Sequence[int]
) -> bool:
    """Whether ``(x, y)`` lies between the band's edges on one of its joined pieces."""
    for i in range(1, len(xs)):
        if i in set(breaks) or not xs[i - 1] - TOLERANCE <= x <= xs[i] + TOLERANCE:
            continue
        t = 0.0 if xs[i] == xs[i - 1] else min(1.0, max(0.0, (x - xs[i - 1]) / (xs[i] - xs[i - 1])))
        low = lows[i - 1] + t * (lows[i] - lows[i - 1])
        high = highs[i - 1] + t * (highs[i] - highs[i - 1])
        if min(low, high) - TOLERANCE <= y <= max(low, high) + TOLERANCE:
            return True
    return False


def fill_points(
    xs: list[float], lows: list[float], highs: list[float], breaks: list[int], samples: list[tuple[float, float]]
) -> Iterator[tuple[float, float]]:
    """Points of a band's fill: at each sample (t along a segment, s from its low to its high)."""
    for i in range(1, len(xs)):
        if i in breaks:
            continue
        for t, s in samples:
            x = xs[i - 1] + t * (xs[i] - xs[i - 1])
            low = lows[i - 1] + t * (lows[i] - lows[i - 1])
            yield x, low + s * (highs[i - 1] + t * (highs[i] - highs[i - 1]) - low)


@settings(max_examples=400, deadline=None)
@given(bands(), st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=8, max_size=8))
def test_a_band_keeps_exactly_its_fill_inside_the_box(
    band: tuple[list[float], list[float], list[float], list[int]], samples: list[tuple[float, float]]
) -> None:
    xs, lows, highs, breaks = band
    cut = clip_band(xs, lows, highs, breaks, BOX)
    cut_xs, cut_lows, cut_highs, cut_breaks = cut
    assert all(BOX[0] <= x <= BOX[1] for x in cut_xs)
    assert all(BOX[2] <= y <= BOX[3] for y in (*cut_lows, *cut_highs))
    for x, y in fill_points(xs, lows, highs, breaks, samples):  # every point well inside the box is kept
        if in_box(x, y, margin=1e-3):
            assert between_at(x, y, *cut), (x, y)
    for x, y in fill_points(cut_xs, cut_lows, cut_highs, cut_breaks, samples):  # and what is kept is of the fill
        assert between_at(x, y, xs, lows, highs, breaks), (x, y)


def test_a_band_wholly_above_the_box_is_not_drawn() -> None:
    assert clip_band([0.0, 10.0], [11.0, 12.0], [13.0, 14.0], [], BOX)[0] == []


def test_bars_keep_their_length_inside_and_drop_what_cannot_be_drawn() -> None:
    heights, starts, stops, glyphs = clip_bars(
        [1.0, 2.0, 3.0, 4.0, 9.8], 5.0, [20.0, math.inf, -3.0, 7.0, 6.0], ["a", "b", "c", "d", "e"], 0.8, BOX
    )
    assert glyphs == ["a", "c", "d"]  # "b" has no end, "e" sticks out over the top
    assert (heights, starts, stops) == ([1.0, 3.0, 4.0], [5.0, 5.0, 5.0], [10.0, 0.0, 7.0])
