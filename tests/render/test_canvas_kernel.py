"""The canvas builds its lines and bands on plotext's kernel directly: the same cells as plotext's own calls.

:class:`~ammoflow.tui.render.plotext_canvas.Canvas` skips plotext's per-point Python objects
(``signal(...)``, ``signal.fill``, ``draw``) for speed. The reference here is plotext used
through its public calls, as the canvas used it before; both draw the same random lines and
bands (gaps, steep slopes, crossing edges) and must give the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.tui.render.plotext_canvas import Canvas


class Reference(Canvas):
    """The canvas as it drew through plotext's public calls: a signal, ``fill`` and ``draw``."""

    def line(self, xs: Sequence[float], ys: Sequence[float], glyph: str, *, breaks: Sequence[int] = ()) -> None:
        self._figure.draw(self._public(xs, ys, glyph, breaks))

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
        upper = self._public(xs, highs, glyph, breaks)
        lower = self._public(xs, lows, glyph, breaks)
        upper.fill(lower)
        self._figure.draw(upper)
        if lower_edge:
            self._figure.draw(lower)

    def _public(self, xs: Sequence[float], ys: Sequence[float], glyph: str, breaks: Sequence[int]) -> Any:
        signal = self._figure.signal(list(xs), list(ys), marker=glyph)
        signal.lines(True).density("full")
        for index in breaks:
            signal.line(index, False)
        return signal


Item = tuple[str, list[float], list[float], list[float], list[int], bool]
"""kind, xs, lows (a line's values), highs, breaks, lower edge"""

values = st.floats(min_value=0.0, max_value=60.0, allow_nan=False)
"""Inside the axes, as the charts' are (their ticks span the data): plotext 6.1's kernel aborts
on a line leaving the figure far enough, through its public calls as well."""


@st.composite
def drawings(draw: st.DrawFn) -> tuple[tuple[int, int], list[Item]]:
    """A figure size and a few series: bands (filled, with or without the lower edge) and lines."""
    size = (draw(st.integers(30, 110)), draw(st.integers(10, 35)))
    items: list[Item] = []
    for kind in draw(st.lists(st.sampled_from(["band", "band", "line"]), min_size=1, max_size=4)):
        months = draw(st.integers(2, 60))
        xs = [float(i) for i in range(months)]
        lows = draw(st.lists(values, min_size=months, max_size=months))
        spans = draw(st.lists(st.floats(-10.0, 40.0), min_size=months, max_size=months))  # negative: edges cross
        highs = [max(0.0, low + span) for low, span in zip(lows, spans, strict=True)]
        breaks = sorted(set(draw(st.lists(st.integers(1, months - 1), max_size=3))))
        items.append((kind, xs, lows, highs, breaks, draw(st.booleans())))
    return size, items


def rows(canvas: Canvas, size: tuple[int, int], items: list[Item]) -> list[str]:
    canvas.start(*size)
    canvas.open_frame()
    canvas.x_range(0.0, 59.0)
    canvas.y_range(0.0, 100.0)
    canvas.y_ticks([0.0, 50.0, 100.0], ["0", "50", "100"])
    for number, (kind, xs, lows, highs, breaks, lower_edge) in enumerate(items):
        glyph = "▒▚░●"[number]
        if kind == "band":
            canvas.band(xs, lows, highs, glyph, breaks=breaks, lower_edge=lower_edge)
        else:
            canvas.line(xs, lows, glyph, breaks=breaks)
    return canvas.rows()


@settings(max_examples=300, deadline=None)
@given(drawings())
def test_lines_and_bands_fill_the_cells_plotext_fills(drawing: tuple[tuple[int, int], Any]) -> None:
    size, items = drawing
    assert rows(Canvas(), size, items) == rows(Reference(), size, items)


def test_one_canvas_draws_one_figure_after_another_as_fresh_ones_do() -> None:
    """Markers are kept between drawings: a second figure on the same canvas is still exact."""
    canvas = Canvas()
    first: list[Item] = [("band", [0.0, 30.0, 59.0], [10.0, 20.0, 5.0], [40.0, 90.0, 60.0], [], False)]
    second: list[Item] = [("line", [0.0, 59.0], [100.0, 0.0], [0.0, 0.0], [], True)]
    rows(canvas, (60, 20), first)
    assert rows(canvas, (60, 20), second) == rows(Reference(), (60, 20), second)
