"""What each chart tab shows, built from projections: pure data, no widgets."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import attrs
import polars as pl

from ammoflow.scenarios.model.columns import CHARTED
from ammoflow.scenarios.model.figures import cumulative_at, projected_at
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.observations import Observation, check
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.render.chart_data import ChartData, Compared, Mark, Series, observation_position

__all__ = [
    "BY_ID",
    "MARKERS",
    "TABS",
    "Compared",
    "Fans",
    "Tab",
    "chart_data",
    "coinciding",
    "compared_series",
    "fan_columns",
    "observation_markers",
    "observation_position",
    "time_marks",
]


@attrs.frozen
class Tab:
    id: str
    title: str
    chart_title: str
    unit: str
    lines: tuple[tuple[str, str], ...]  # (column, legend label)
    observed: str | None = None  # observation metric drawn as markers
    baseline: tuple[str, ...] = ()  # columns drawn dim from each compared run
    per_day: bool = False  # monthly flows drawn as rounds a day (the month's flow over its days)


TABS: tuple[Tab, ...] = (
    Tab(
        "containers",
        "Shipped",
        "Containers shipped to Russia, cumulative",
        "containers",
        (("cumulative_containers", "projected"),),
        observed="cumulative_containers",
        baseline=("cumulative_containers",),
    ),
    Tab(
        "rounds",
        "Rounds",
        "Rounds shipped to Russia, cumulative",
        "rounds",
        (("cumulative_rounds", "projected"),),
        observed="cumulative_rounds",
        baseline=("cumulative_rounds",),
    ),
    Tab(
        "stocks",
        "Stocks",
        "Stockpiles at month end",
        "rounds",
        (("nk_stock", "North Korea"), ("ru_stock", "Russia")),
        baseline=("nk_stock", "ru_stock"),
    ),
    Tab(
        "front",
        "Front",
        "Russian fire",
        "rounds/day",
        (("ru_demand", "demand"), ("ru_fired", "fired"), ("ru_shortfall", "shortfall")),
        baseline=("ru_fired",),
        per_day=True,  # the unit of the fire-rate slider
    ),
    Tab(
        "flows",
        "Flows",
        "Monthly flows",
        "rounds/month",
        (
            ("nk_production_russia", "NK output"),
            ("rounds_shipped", "shipped"),
            ("ru_arrivals", "arrived"),
            ("ru_production", "RU output"),
        ),
        baseline=("rounds_shipped",),
    ),
)
BY_ID = {tab.id: tab for tab in TABS}


Fans = Mapping[str, Mapping[float, Sequence[float]]]  # column -> percentile -> value per month


def fan_columns(tab: Tab) -> tuple[str, ...]:
    """The output columns a tab draws bands for: the domain's charted ones (inputs such as production have none)."""
    return tuple(column for column, _ in tab.lines if column in CHARTED)


def chart_data(
    tab: Tab,
    scenario: Scenario,
    frame: pl.DataFrame,
    *,
    compared: Sequence[Compared] = (),
    observations: Sequence[Observation] = (),
    fans: Fans | None = None,
    today: date | None = None,
) -> ChartData:
    labels = scenario.month_labels()
    series: list[Series] = []
    if fans:
        # Bands first, so lines and markers are drawn over them: 5-95% outer, drawn as its
        # edges only so that nothing inside it is buried, 25-75% inner, filled.
        single = len(fan_columns(tab)) == 1
        for column, name in tab.lines:
            band = fans.get(column)
            if band is None:
                continue
            prefix = "" if single else f"{name} "

            def edge(q: float, band: Mapping[float, Sequence[float]] = band) -> list[float] | None:
                values = band.get(q)
                return None if values is None else _per_day(tab, list(values), frame)

            series.append(Series(f"{prefix}5-95%", edge(5) or (), kind="band", y_high=edge(95), filled=False))
            series.append(Series(f"{prefix}25-75%", edge(25) or (), kind="band", y_high=edge(75), y_mid=edge(50)))
    lines = [Series(label, _per_day(tab, _column(frame, column, scenario), frame)) for column, label in tab.lines]
    first_line = len(series)
    series += lines
    series += compared_series(tab, labels, compared)
    series += coinciding(lines, first=first_line)
    if tab.observed:
        series += observation_markers(tab.observed, scenario, frame, observations)
    return ChartData(tab.chart_title, tab.unit, labels, series, time_marks(scenario, today, observations))


def compared_series(tab: Tab, labels: Sequence[str], compared: Sequence[Compared]) -> list[Series]:
    """The tab's dim columns of every compared run, aligned on the chart's months by label.

    Each run is named in the legend by its label (with the line's name when the tab draws
    more than one column per run) and keeps its index as ``run``, which gives its colour.
    """
    series: list[Series] = []
    names = dict(tab.lines)
    for index, run in enumerate(compared):
        if "month" not in run.frame.columns:
            continue
        position = {month: i for i, month in enumerate(run.frame["month"].to_list())}
        for column in tab.baseline:
            if column not in run.frame.columns:
                continue
            source = _per_day(tab, run.frame[column].to_list(), run.frame)
            aligned = [source[position[m]] if m in position else math.nan for m in labels]
            label = f"{run.label} {names[column]}" if len(tab.baseline) > 1 else run.label
            series.append(Series(label, aligned, kind="baseline", run=index, short=run.label))
    return series


COINCIDING_GLYPHS = ("≡", "≈", "≋")
"""Drawn where two lines run together, which would otherwise hide the one drawn first."""


def coinciding(lines: Sequence[Series], first: int = 0) -> list[Series]:
    """A series over the months where two lines hold the same value, named for both.

    Lines drawn on the same cells show only the last one drawn: "fired" hides "demand"
    until the first shortfall, "arrived" hides "shipped" where shipments are steady. Where
    lines agree (to a millionth), a series for that group is drawn over them with its own
    glyph and named "fired = demand" in the legend, so none goes missing. ``first`` is the
    index of the first line among the chart's series: each group ``joins`` its lines there.
    """
    clusters: dict[tuple[int, ...], list[float]] = {}
    months = min((len(line.y) for line in lines), default=0)
    for month in range(months):
        values = [line.y[month] for line in lines]
        for i, value in enumerate(values):
            if math.isnan(value):
                continue
            together = tuple(
                j for j, other in enumerate(values) if math.isclose(value, other, rel_tol=1e-6, abs_tol=1e-9)
            )
            if len(together) > 1 and together[0] == i:
                clusters.setdefault(together, [math.nan] * months)[month] = value
    found = []
    for (together, values), glyph in zip(clusters.items(), COINCIDING_GLYPHS, strict=False):
        label = " = ".join(lines[j].label for j in reversed(together))
        found.append(Series(label, values, glyph=glyph, joins=tuple(first + j for j in reversed(together))))
    return found


def _per_day(tab: Tab, values: list[float], frame: pl.DataFrame) -> list[float]:
    """A tab's monthly flow as a rate a day when the tab asks for it (docs/model.md: a month's real days)."""
    if not tab.per_day or "days" not in frame.columns:
        return values
    days = frame["days"].to_list()
    return [value / day if day else math.nan for value, day in zip(values, days, strict=False)]


def time_marks(scenario: Scenario, today: date | None, observations: Sequence[Observation]) -> tuple[Mark, ...]:
    """The present and the last observation as marks: left of them is hindcast, right forecast.

    The last observation is the latest of any metric, so every tab shows where what is
    known ends; the chart leaves out a mark outside its months.
    """
    marks = []
    if today is not None:
        marks.append(Mark(f"now {today:%Y-%m}", observation_position(scenario, month_of(today), today.day), "now"))
    if observations:
        last = max(observation.day for observation in observations)
        position = observation_position(scenario, month_of(last), last.day)
        marks.append(Mark(f"last observed {last.isoformat()}", position, "last observed"))
    return tuple(marks)


# How an observation is drawn: its shape says what it claims, filled when the projection
# meets it and hollow when it does not. A range is drawn as its two ends, a lower and an
# upper bound. The order is the legend's.
MARKERS: tuple[tuple[str, bool, str, str], ...] = (
    ("lower", True, "▲", "lower bound"),
    ("lower", False, "△", "lower bound, missed"),
    ("upper", True, "▼", "upper bound"),
    ("upper", False, "▽", "upper bound, missed"),
    ("about", True, "◆", "observed"),
    ("about", False, "◇", "observed, missed"),
)
CROWDED_MARKER_LABELS = {
    "lower bound": "lower",
    "lower bound, missed": "lower missed",
    "upper bound": "upper",
    "upper bound, missed": "upper missed",
    "observed, missed": "obs. missed",
}
"""A marker's label where the legend is crowded (the help names the shapes in full)."""


def observation_markers(
    metric: str, scenario: Scenario, frame: pl.DataFrame, observations: Sequence[Observation]
) -> list[Series]:
    """The observations of ``metric`` as marker series, one per shape and verdict present.

    A count over a period (``since``) is drawn where it would put the cumulative total: the
    projection at the period's start plus the count.
    """
    points: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    last = scenario.months - 1
    for observation in observations:
        if observation.metric != metric:
            continue
        one = projected_at(frame, scenario, observation)
        if one.projected is None:
            continue
        x = observation_position(scenario, month_of(observation.day), observation.day.day)
        if not -1 <= x <= last:
            continue
        base = cumulative_at(frame, scenario, metric, observation.since) if observation.since else 0.0
        for shape, value in _ends(observation):
            met = check(_as_bound(observation, shape, value), one.projected).consistent
            xs, ys = points.setdefault((shape, met), ([], []))
            xs.append(x)
            ys.append(base + value)
    return [
        Series(
            label,
            points[(shape, met)][1],
            kind="markers",
            x=points[(shape, met)][0],
            glyph=glyph,
            short=CROWDED_MARKER_LABELS.get(label, ""),
        )
        for shape, met, glyph, label in MARKERS
        if (shape, met) in points
    ]


def _ends(observation: Observation) -> list[tuple[str, float]]:
    """The shapes an observation is drawn as, with their values: a range as both its ends."""
    kind = observation.kind
    if kind == "range" and observation.high is not None:
        return [("lower", observation.value), ("upper", observation.high)]
    return [("about" if kind in ("about", "exact") else kind, observation.value)]


def _as_bound(observation: Observation, shape: str, value: float) -> Observation:
    """One end of a range read as the bound it is; any other observation as itself."""
    if observation.kind != "range":
        return observation
    qualifier = "at least" if shape == "lower" else "at most"
    return attrs.evolve(observation, value=value, qualifier=qualifier, high=None)


def _column(frame: pl.DataFrame, column: str, scenario: Scenario) -> list[float]:
    if column in frame.columns:
        return frame[column].to_list()
    # Inputs shown beside outputs (Russian production) come from the scenario itself.
    return scenario.series(column)
