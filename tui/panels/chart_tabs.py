"""What each chart tab shows, built from projections: pure data, no widgets."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
import polars as pl

from ammoflow.scenarios.model.columns import CHARTED
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.render.chart_data import ChartData, Series, observation_position


@attrs.frozen
class Tab:
    id: str
    title: str
    chart_title: str
    unit: str
    lines: tuple[tuple[str, str], ...]  # (column, legend label)
    observed: str | None = None  # observation metric drawn as markers
    baseline: tuple[str, ...] = ()  # columns drawn dim from the pinned baseline


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
        "rounds/month",
        (("ru_demand", "demand"), ("ru_fired", "fired"), ("ru_shortfall", "shortfall")),
        baseline=("ru_fired",),
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
    baseline: tuple[Scenario, pl.DataFrame] | None = None,
    observations: Sequence[Observation] = (),
    fans: Fans | None = None,
) -> ChartData:
    labels = scenario.month_labels()
    series: list[Series] = []
    if fans:
        # Bands first, so lines and markers are drawn over them: 5-95% outer, 25-75% inner.
        single = len(fan_columns(tab)) == 1
        for column, name in tab.lines:
            band = fans.get(column)
            if band is None:
                continue
            prefix = "" if single else f"{name} "
            series.append(Series(f"{prefix}5-95%", band[5], kind="band", y_high=band[95]))
            series.append(Series(f"{prefix}25-75%", band[25], kind="band", y_high=band[75]))
    for column, label in tab.lines:
        values = _column(frame, column, scenario)
        series.append(Series(label, values))
    if baseline is not None:
        base_scenario, base_frame = baseline
        position = {month: i for i, month in enumerate(base_frame["month"].to_list())}
        for column in tab.baseline:
            source = _column(base_frame, column, base_scenario)
            aligned = [source[position[m]] if m in position else math.nan for m in labels]
            name = dict(tab.lines)[column]
            series.append(Series(f"baseline {name}" if len(tab.baseline) > 1 else "baseline", aligned, kind="baseline"))
    if tab.observed:
        xs, ys = [], []
        for observation in observations:
            if observation.metric != tab.observed:
                continue
            x = observation_position(scenario, month_of(observation.day), observation.day.day)
            if -1 <= x <= len(labels) - 1:
                xs.append(x)
                ys.append(observation.value)
        if xs:
            series.append(Series("observed", ys, kind="markers", x=xs))
    return ChartData(tab.chart_title, tab.unit, labels, series)


def _column(frame: pl.DataFrame, column: str, scenario: Scenario) -> list[float]:
    if column in frame.columns:
        return frame[column].to_list()
    # Inputs shown beside outputs (Russian production) come from the scenario itself.
    return scenario.series(column)
