"""What a chart shows: a title, a y unit, month labels and series. Plain values, no drawing."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from ammoflow.scenarios.model.months import days_in

if TYPE_CHECKING:
    from ammoflow.scenarios.model.scenario import Scenario

__all__ = ["SERIES_KINDS", "ChartData", "Compared", "Mark", "Series", "SeriesKind", "observation_position"]

SeriesKind = Literal["line", "markers", "baseline", "band"]
SERIES_KINDS: tuple[SeriesKind, ...] = ("line", "markers", "baseline", "band")


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
    ``glyph`` asks for a glyph of the series' own, when its shape says something
    (a lower bound drawn as ``▲``); otherwise one is taken from its kind's pool.
    ``y_mid`` is a band's median: not drawn, read out by the cursor. A band that is not
    ``filled`` is drawn as its two edges only, so what lies inside it stays in sight (the
    5-95% band around a 25-75% one).
    ``run`` is, for a ``baseline`` series, the index of the compared run it comes from:
    a run keeps one colour over all its series and on every chart. ``short`` is the label
    where the legend is crowded (a run's series all give the run's name: the crowded
    legend names a run once, beside the glyphs of all its series). ``joins`` is, for a
    series drawn where lines run together, the indices of those lines among the chart's
    series: the crowded legend names it by their glyphs (``+=×``).
    """

    label: str
    y: Sequence[float]
    kind: SeriesKind = "line"
    x: Sequence[float] | None = None
    y_high: Sequence[float] | None = None
    glyph: str | None = None
    run: int = 0
    y_mid: Sequence[float] | None = None
    filled: bool = True
    short: str = ""
    joins: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in SERIES_KINDS:
            raise ValueError(f"unknown series kind {self.kind!r}")
        object.__setattr__(self, "y", _to_floats(self.y) or ())
        object.__setattr__(self, "x", _to_floats(self.x))
        object.__setattr__(self, "y_high", _to_floats(self.y_high))
        object.__setattr__(self, "y_mid", _to_floats(self.y_mid))


@dataclass(frozen=True, eq=False)
class Compared:
    """A named run the charts draw dim beside the current projection (the pinned baseline is one).

    ``frame`` is the run's projection (:func:`ammoflow.scenarios.engine.projection.project`):
    its ``month`` column places each value on the chart's months, so a run over other months
    is drawn where the months meet and left out elsewhere. Equality is identity (a frame has
    no truth value): a run is projected once and passed on as it is.
    """

    label: str
    frame: pl.DataFrame


@dataclass(frozen=True)
class Mark:
    """A vertical line across the plot at a month position ``x`` (as a series' ``x``), named in the legend.

    Marks say where the data stand in time (the present, the last observation), so that
    what lies left of them reads as hindcast and what lies right as forecast.
    """

    label: str
    x: float
    short: str = ""  # the label where the legend is crowded ("now" for "now 2025-06")


@dataclass(frozen=True)
class ChartData:
    """Everything one chart shows: title, y unit, month labels, series and marks."""

    title: str
    y_unit: str
    x_labels: Sequence[str]
    series: Sequence[Series] = field(default_factory=tuple)
    marks: Sequence[Mark] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "x_labels", tuple(str(label) for label in self.x_labels))
        object.__setattr__(self, "series", tuple(self.series))
        object.__setattr__(self, "marks", tuple(self.marks))


def observation_position(scenario: Scenario, day_month: int, day: int) -> float:
    """Where a dated figure sits on the month axis: point i is the end of month i."""
    index = day_month - scenario.start_index
    return index - 1 + day / days_in(day_month)
