"""The one adapter to plotext 6: a private figure drawn as colourless text.

Every drawing made with plotext goes through :class:`Canvas`, which holds the only
calls to plotext's API. The figure is taken *colourless*
(``matrix.string(colorless=True)``): each series is drawn with its own glyph, and the
caller maps the glyphs back to style codes, so the drawing reads without colour and
takes the theme's colours when there are some.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["Canvas"]


class Canvas:
    """A private plotext 6 figure; one per drawing, so drawings never share state."""

    def __init__(self) -> None:
        # Imported on first use: loading plotext (and its C kernel) takes about
        # 0.1 s, which modules merely importing this one should not pay.
        import plotext

        terminal = type(plotext.terminal)()
        terminal.limit(False, False)  # never clamp the figure to the real terminal size
        self._figure: Any = terminal._master
        self._open_frame = False

    def start(self, width: int, height: int) -> None:
        """Forget the data drawn before and size the figure to ``width`` x ``height`` cells."""
        self._figure.clear.data()
        self._figure.plot_size(width, height)

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

    def y_range(self, low: float, high: float) -> None:
        self._figure.ruler("y").lim(low, high)

    def x_ticks(self, positions: Sequence[float], labels: Sequence[str] | None = None) -> None:
        """Ticks on the x axis at ``positions``, labelled ``labels``; none when both are empty."""
        self._ticks("x", positions, labels)

    def y_ticks(self, positions: Sequence[float], labels: Sequence[str] | None = None) -> None:
        """Ticks on the y axis at ``positions``, labelled ``labels``; none when both are empty."""
        self._ticks("y", positions, labels)

    def _ticks(self, axis: str, positions: Sequence[float], labels: Sequence[str] | None) -> None:
        ruler = self._figure.ruler(axis)
        if labels is None:
            ruler.ticks(list(positions))
        else:
            ruler.ticks(list(positions), list(labels))

    def line(self, xs: Sequence[float], ys: Sequence[float], glyph: str, *, breaks: Sequence[int] = ()) -> None:
        """Points joined by lines of ``glyph``; no line leads into a point whose index is in ``breaks``."""
        self._figure.draw(self._joined(xs, ys, glyph, breaks))

    def markers(self, xs: Sequence[float], ys: Sequence[float], glyph: str) -> None:
        """Points alone, each drawn as ``glyph``."""
        self._figure.draw(self._figure.signal(list(xs), list(ys), marker=glyph))

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
        for a caller that draws the edges over the fill afterwards.
        """
        upper = self._joined(xs, highs, glyph, breaks)
        lower = self._joined(xs, lows, glyph, breaks)
        upper.fill(lower)
        self._figure.draw(upper)
        if lower_edge:
            self._figure.draw(lower)

    def _joined(self, xs: Sequence[float], ys: Sequence[float], glyph: str, breaks: Sequence[int]) -> Any:
        signal = self._figure.signal(list(xs), list(ys), marker=glyph)
        signal.lines(True).density("full")
        for index in breaks:
            signal.line(index, False)
        return signal

    def horizontal_bars(
        self, ys: Sequence[float], base: float, ends: Sequence[float], glyphs: Sequence[str], *, width: float
    ) -> None:
        """Floating horizontal bars from ``base`` to each end, at heights ``ys``, one glyph each."""
        self._figure.draw(
            self._figure.bar(list(ys), [base] * len(ys), list(ends), orientation="h", marker=list(glyphs), width=width)
        )

    def vertical_line(self, x: float) -> None:
        self._figure.line(x, orientation="v")

    def rows(self) -> list[str]:
        """The figure as colourless text, one string per row."""
        text: str = self._figure.build().string(colorless=True)
        return text.split("\n")
