"""How a chart's cells are coded: a glyph and a style code per series, and their draw order.

Colours cannot be read back from colourless plotext output, so every series is drawn
with its own glyph (``•`` ``×`` ``+`` for lines, ``◆`` ``●`` ``▲`` for markers, ``·``
``:`` ``˙`` for compared runs, ``▒`` ``▚`` for filled bands, ``░`` ``┈`` for bands drawn as
their edges) and each glyph maps back to its series.
That one mapping keeps series apart without colour (``NO_COLOR``, monochrome or
16-colour terminals) and lets the widget give each series its theme colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ammoflow.tui.render.chart_data import Series, SeriesKind

__all__ = [
    "BAND_EDGE_GLYPHS",
    "BAND_GLYPHS",
    "BASELINE_GLYPHS",
    "CURSOR",
    "CURSOR_GLYPH",
    "FRAME",
    "LEGEND",
    "LINE_GLYPHS",
    "MARKER_GLYPHS",
    "MARK_GLYPHS",
    "NOTE",
    "TICK",
    "TITLE",
    "UNIT",
    "Plan",
    "mark_code",
    "mark_glyph",
    "plan",
    "series_code",
]

# Glyph pools, one per kind. Glyphs are unique across pools so that a glyph
# identifies its series; a pool is reused cyclically past its end (those
# series then share a glyph and a colour).
LINE_GLYPHS = ("•", "×", "+", "▪", "*", "o", "#", "%")
MARKER_GLYPHS = ("◆", "●", "▲", "■", "◇", "○", "△", "□")
BASELINE_GLYPHS = ("·", ":", "˙", "¨", "'", "`", "~", "^")
BAND_GLYPHS = ("▒", "▚", "▞", "▓")
# Bands drawn as their two edges only (the outer band of a fan): light glyphs, dashed lines.
BAND_EDGE_GLYPHS = ("░", "┈", "╌", "╍")
# Vertical marks across the plot (the present, the last observation): a solid and a
# dashed rule, told apart without colour.
MARK_GLYPHS = ("┃", "╎", "┆", "┊")
# The cursor: a thin rule under every series, so the values it reads stay visible on it.
CURSOR_GLYPH = "│"

GLYPHS: dict[SeriesKind | Literal["edges"], tuple[str, ...]] = {
    "line": LINE_GLYPHS,
    "markers": MARKER_GLYPHS,
    "baseline": BASELINE_GLYPHS,
    "band": BAND_GLYPHS,
    "edges": BAND_EDGE_GLYPHS,
}

# Style codes of the cells around the series (blank is cells.BLANK).
TITLE = "T"
UNIT = "U"
FRAME = "F"
TICK = "K"
LEGEND = "L"
NOTE = "N"
CURSOR = "C"
_SERIES_BASE = 0x100  # series i uses chr(_SERIES_BASE + i); never a printable clash
_MARK_BASE = 0x80  # mark i uses chr(_MARK_BASE + i); below the series' codes, never printable

# Bands under baselines under lines under markers (the layout draws every band's fill
# before any band's edges: see chart_layout).
_RANK: dict[SeriesKind, int] = {"band": 0, "baseline": 1, "line": 2, "markers": 3}


def series_code(index: int) -> str:
    """The style code of the cells of series ``index``."""
    return chr(_SERIES_BASE + index)


def mark_code(index: int) -> str:
    """The style code of the cells of mark ``index`` (marks past the glyph pool share the last code)."""
    return chr(_MARK_BASE + min(index, len(MARK_GLYPHS) - 1))


def mark_glyph(index: int) -> str:
    """The glyph of mark ``index``: the present gets a solid rule, later marks dashed ones."""
    return MARK_GLYPHS[min(index, len(MARK_GLYPHS) - 1)]


@dataclass(frozen=True)
class Plan:
    """How each series is drawn: glyph, style code and draw order."""

    glyphs: tuple[str, ...]
    codes: tuple[str, ...]
    order: tuple[int, ...]


def plan(series: Sequence[Series]) -> Plan:
    """Glyphs in the order of the series, so the legend does not change with the data."""
    used: dict[SeriesKind | Literal["edges"], int] = dict.fromkeys(GLYPHS, 0)
    glyph_owner: dict[str, int] = {}
    glyphs: list[str] = []
    codes: list[str] = []
    chosen = {item.glyph for item in series if item.glyph}
    for index, item in enumerate(series):
        if item.glyph:
            glyph = item.glyph
        else:
            # The pool's next glyph that no series asked for by name (the whole pool if all were).
            kind = _pool(item)
            pool = tuple(g for g in GLYPHS[kind] if g not in chosen) or GLYPHS[kind]
            glyph = pool[used[kind] % len(pool)]
            used[kind] += 1
        owner = glyph_owner.setdefault(glyph, index)
        glyphs.append(glyph)
        codes.append(series_code(owner))
    # Stable within a kind, except that wider bands go under narrower ones, so that one
    # series' bands never bury another's (on the stocks chart Russia's wide bands would
    # cover North Korea's narrow ones).
    order = sorted(range(len(series)), key=lambda i: (_RANK[series[i].kind], -_band_width(series[i]), i))
    return Plan(tuple(glyphs), tuple(codes), tuple(order))


def _pool(series: Series) -> SeriesKind | Literal["edges"]:
    """Which glyph pool a series draws from: its kind's, or the edges' for a band not filled."""
    return "edges" if series.kind == "band" and not series.filled else series.kind


def _band_width(series: Series) -> float:
    """A band's mean height over the months it has (0 for any other series)."""
    if series.kind != "band" or series.y_high is None:
        return 0.0
    spans = [high - low for low, high in zip(series.y, series.y_high, strict=False) if not math.isnan(high - low)]
    return sum(spans) / len(spans) if spans else 0.0
