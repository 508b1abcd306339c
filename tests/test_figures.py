"""Key figures and observations, on small scenarios whose answers can be worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files.observation_csv import SHIPPED, read_observations
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import (
    FIGURE_KEYS,
    ObservationCheck,
    describe_observed,
    format_difference,
    format_figure,
    key_figures,
    projected_at,
)
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

# Nothing made in North Korea; 500 shells in each of 1,000 containers a month.
NORTH_KOREA_SHIPS_500K = {
    "nk_capacity_russia": 0,
    "nk_stock_initial": 2_000_000,
    "nk_reserve": 1_000_000,
    "containers_per_month": 1_000,
    "shells_152_per_container": 500,
    "share_122_containers": 0,
}
# Russia alone: 1,000,000 rounds in stock, nothing coming in, 10,000 fired a day.
RUSSIA_ALONE = {
    "containers_per_month": 0,
    "ru_production": 0,
    "ru_other_imports": 0,
    "ru_stock_initial": 1_000_000,
    "ru_fire_rate": 10_000,
}


# -- key figures ---------------------------------------------------------------------------


def test_reserve_month_is_when_the_stock_reaches_the_reserve() -> None:
    # 2,000,000 -> 1,500,000 (Jan) -> 1,000,000 (Feb): the reserve is reached in February.
    scenario = Scenario(start="2024-01", months=6, values=NORTH_KOREA_SHIPS_500K)
    figures = key_figures(project(scenario), scenario)
    assert figures.nk_reserve_month == "2024-02"
    assert figures.containers_shipped == pytest.approx(2_000)
    assert figures.rounds_shipped == pytest.approx(1_000_000)


def test_reserve_not_reached_within_the_horizon() -> None:
    scenario = Scenario(start="2024-01", months=1, values=NORTH_KOREA_SHIPS_500K)
    figures = key_figures(project(scenario), scenario)
    assert figures.nk_reserve_month is None
    # One wording for "never within the horizon", whichever month figure it is.
    assert format_figure("nk_reserve_month", figures.nk_reserve_month) == "none"
    assert format_figure("first_shortfall_month", None) == "none"


def test_a_stock_that_starts_at_its_reserve_is_at_the_reserve_from_the_first_month() -> None:
    scenario = Scenario(start="2024-01", months=3, values={**NORTH_KOREA_SHIPS_500K, "nk_stock_initial": 1_000_000})
    assert key_figures(project(scenario), scenario).nk_reserve_month == "2024-01"


def test_a_reserve_raised_over_time_is_reached_when_it_is_raised() -> None:
    values = {**NORTH_KOREA_SHIPS_500K, "nk_stock_initial": 10_000_000}
    raised = Scenario(start="2024-01", months=6, values=values, changes=(Change("2024-04", "nk_reserve", 9_000_000),))
    # 10M -> 9.5M -> 9M -> 8.5M by March; from April the reserve is 9M and the stock is below it.
    assert key_figures(project(raised), raised).nk_reserve_month == "2024-04"


def test_first_shortfall_total_shortfall_and_average_fired() -> None:
    # Jan 310,000 fired (690,000 left), Feb 290,000 (400,000), Mar 310,000 (90,000),
    # Apr only 90,000 of 300,000: short by 210,000, then nothing is left for May and June.
    scenario = Scenario(start="2024-01", months=6, values=RUSSIA_ALONE)
    figures = key_figures(project(scenario), scenario)
    assert figures.first_shortfall_month == "2024-04"
    assert figures.total_shortfall == pytest.approx(210_000 + 310_000 + 300_000)
    days = 31 + 29 + 31 + 30 + 31 + 30
    assert figures.average_fired_per_day == pytest.approx(1_000_000 / days)
    assert format_figure("total_shortfall", figures.total_shortfall) == "820,000 rounds"
    assert format_figure("average_fired_per_day", figures.average_fired_per_day) == "5,495 rounds/day"


def test_no_shortfall_and_no_supply() -> None:
    scenario = Scenario(start="2024-01", months=3, values=RUSSIA_ALONE)
    figures = key_figures(project(scenario), scenario)
    assert figures.first_shortfall_month is None
    assert format_figure("first_shortfall_month", None) == "none"
    assert figures.total_shortfall == 0
    # Nothing new reached Russia at all: the share is undefined, not a division by zero.
    assert figures.nk_share_of_supply is None
    assert format_figure("nk_share_of_supply", None) == "n/a"


def test_north_korea_share_of_new_supply() -> None:
    values = {
        **NORTH_KOREA_SHIPS_500K,
        "nk_stock_initial": 50_000_000,
        "ru_production": 250_000,
        "ru_other_imports": 250_000,
    }
    same_month = Scenario(start="2024-01", months=2, values={**values, "transit_months": 0})
    assert key_figures(project(same_month), same_month).nk_share_of_supply == pytest.approx(0.5)
    # A month in transit: January's 500,000 arrives in February only.
    a_month_late = Scenario(start="2024-01", months=2, values={**values, "transit_months": 1})
    share = key_figures(project(a_month_late), a_month_late).nk_share_of_supply
    assert share == pytest.approx(500_000 / (500_000 + 1_000_000))
    assert format_figure("nk_share_of_supply", share) == "33.3%"


def test_food_received() -> None:
    values = {**NORTH_KOREA_SHIPS_500K, "nk_stock_initial": 50_000_000}
    scenario = Scenario(
        start="2024-01",
        months=3,
        values={**values, "return_containers_ratio": 1.5, "food_tonnes_per_container": 20},
    )
    # 1,000 containers a month, 1,500 sent back, 20 t each: 30,000 t a month.
    assert key_figures(project(scenario), scenario).food_tonnes == pytest.approx(90_000)


def test_baseline_key_figures() -> None:
    scenario = baseline()
    figures = key_figures(project(scenario), scenario)
    assert figures.nk_reserve_month == "2025-04"  # see test_engine: 260,740 a month down to 1,000,000
    assert figures.rounds_shipped == pytest.approx(6_000_000 - 1_000_000 + 48 * 150_000)
    assert figures.first_shortfall_month is not None
    assert 0 < figures.nk_share_of_supply < 1


def test_key_figures_as_a_dict_are_json() -> None:
    scenario = baseline()
    figures = key_figures(project(scenario), scenario, read_observations())
    out = json.loads(json.dumps(figures.as_dict()))
    assert set(FIGURE_KEYS) <= set(out)
    assert len(out["observations"]) == len(read_observations())


@pytest.mark.parametrize(
    ("key", "a", "b", "shown"),
    [
        ("nk_reserve_month", "2025-04", "2026-11", "+19 months"),
        ("nk_reserve_month", "2025-04", "2025-01", "-3 months"),
        ("nk_reserve_month", "2025-04", "2025-04", ""),
        ("nk_reserve_month", "2025-04", None, "not reached"),
        ("first_shortfall_month", None, "2026-03", "now 2026-03"),
        ("total_shortfall", 1_000.0, 3_500.0, "+2,500"),
        ("total_shortfall", 1_000.0, 1_000.2, ""),
        ("nk_share_of_supply", 0.50, 0.55, "+5.0 pts"),
        ("nk_share_of_supply", None, 0.5, "changed"),
    ],
)
def test_differences_read_naturally(key: str, a: object, b: object, shown: str) -> None:
    assert format_difference(key, a, b) == shown  # type: ignore[arg-type]


# -- the projection at an observation's date ----------------------------------------------------------

STEADY = Scenario(start="2024-01", months=3, values={**NORTH_KOREA_SHIPS_500K, "nk_stock_initial": 50_000_000})


def at(day: str, metric: str = "cumulative_containers", scenario: Scenario = STEADY) -> ObservationCheck:
    observation = Observation(date.fromisoformat(day), metric, 1.0)
    return projected_at(project(scenario), scenario, observation)


@pytest.mark.parametrize(
    ("day", "containers"),
    [
        ("2024-01-31", 1_000),  # a whole month
        ("2024-02-15", 1_000 + 1_000 * 15 / 29),  # half of February spread over its 29 days
        ("2024-02-29", 2_000),
        ("2024-01-01", 1_000 / 31),
        ("2024-03-31", 3_000),
    ],
)
def test_projected_at_spreads_a_month_evenly_over_its_days(day: str, containers: float) -> None:
    check = at(day)
    assert check.projected == pytest.approx(containers)
    assert check.why_missing == ""


def test_projected_at_rounds_uses_rounds_shipped() -> None:
    assert at("2024-02-15", "cumulative_rounds").projected == pytest.approx(500_000 * (1 + 15 / 29))


def test_projected_at_before_the_start_and_after_the_horizon() -> None:
    before, after = at("2023-12-31"), at("2024-04-01")
    assert (before.projected, before.difference) == (None, None)
    assert before.why_missing == "before the projection starts (2024-01)"
    assert (after.projected, after.difference) == (None, None)
    assert after.why_missing == "after the horizon ends (2024-03)"


def test_difference_is_projected_minus_observed() -> None:
    observation = Observation(date(2024, 2, 29), "cumulative_containers", 2_500)
    check = projected_at(project(STEADY), STEADY, observation)
    assert check.difference == pytest.approx(2_000 - 2_500)


def test_a_period_count_is_the_projection_over_that_period() -> None:
    period = Observation(date(2024, 3, 31), "cumulative_containers", 1, since=date(2024, 2, 15))
    assert projected_at(project(STEADY), STEADY, period).projected == pytest.approx(3_000 - (1_000 + 1_000 * 15 / 29))
    early = Observation(date(2024, 2, 29), "cumulative_containers", 1, since=date(2023, 6, 1))
    assert projected_at(project(STEADY), STEADY, early).projected == pytest.approx(2_000)  # nothing before the start


@pytest.mark.parametrize(
    ("qualifier", "value", "consistent", "text"),
    [
        ("more than", 1_500, True, "above the lower bound"),
        ("more than", 2_500, False, "20% below the lower bound"),
        ("about", 2_100, True, "-5%, within ±10%"),
        ("at most", 1_600, False, "25% above the upper bound"),
    ],
)
def test_a_check_reads_the_observation_as_it_is_written(
    qualifier: str, value: float, consistent: bool, text: str
) -> None:
    # 2,000 containers projected by the end of February.
    observation = Observation(date(2024, 2, 29), "cumulative_containers", value, qualifier)
    one = projected_at(project(STEADY), STEADY, observation)
    assert one.verdict is not None
    assert (one.verdict.consistent, one.verdict.text) == (consistent, text)
    row = key_figures(project(STEADY), STEADY, [observation]).as_dict()["observations"][0]  # type: ignore[index]
    assert (row["consistent"], row["verdict"], row["projected"]) == (consistent, text, pytest.approx(2_000))


def test_a_check_outside_the_horizon_has_no_verdict() -> None:
    assert at("2024-04-01").verdict is None


@pytest.mark.parametrize(
    ("observation", "shown"),
    [
        (Observation(date(2024, 2, 29), "cumulative_containers", 10_000, "more than"), "more than 10,000"),
        (Observation(date(2024, 2, 29), "cumulative_containers", 6_700), "6,700"),
        (
            Observation(date(2024, 2, 29), "cumulative_rounds", 4e6, "between", high=5e6, since=date(2024, 1, 1)),
            "between 4,000,000 and 5,000,000 since 2024-01-01",
        ),
        (Observation(date(2024, 2, 29), "cumulative_containers", 6_700, "about", tolerance=20), "about 6,700 (±20%)"),
    ],
)
def test_an_observation_is_described_as_its_row_says_it(observation: Observation, shown: str) -> None:
    assert describe_observed(observation) == shown


# -- the observations file ------------------------------------------------------------------------


def test_the_shipped_observations_load_in_date_order() -> None:
    observations = read_observations()
    assert SHIPPED.is_file()
    assert len(observations) >= 10
    assert [o.day for o in observations] == sorted(o.day for o in observations)
    assert {o.metric for o in observations} == {"cumulative_containers", "cumulative_rounds"}
    assert all(o.value > 0 and o.claimant and o.reported_by for o in observations)
    seed = [o for o in observations if o.day == date(2024, 2, 23) and o.metric == "cumulative_containers"]
    assert [(o.value, o.qualifier) for o in seed] == [(6_700, "about")]


def test_a_users_observations_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "date,metric,value,qualifier,claimant,reported_by,note\n"
        '2024-05-01,cumulative_rounds,"4,000,000",about,Me,My blog,\n'
        "2024-03-01,cumulative_containers,8_000,,,,\n",
        encoding="utf-8",
    )
    first, second = read_observations(path)
    assert (first.day, first.value, first.qualifier) == (date(2024, 3, 1), 8_000, "")
    assert (second.day, second.value, second.claimant) == (date(2024, 5, 1), 4_000_000, "Me")


def test_bad_observation_rows_are_reported_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,metric,value,qualifier,claimant,reported_by,note\n"
        "2024-02-23,cumulative_containers,6700,about,Shin,KBS,\n"
        "23/02/2024,cumulative_containers,6700,,,,\n"
        "2024-02-23,containers,6700,,,,\n"
        "2024-02-23,cumulative_rounds,lots,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f'{path}:3: date "23/02/2024" is not a date (YYYY-MM-DD)',
        f'{path}:4: metric "containers" is not one of cumulative_containers, cumulative_rounds',
        f'{path}:5: value "lots" is not a number',
    ]


def test_an_observations_file_without_the_needed_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("when,what\n2024-01-01,1\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f"{path}: missing column(s) date, metric, value; "
        "the header needs date,metric,value,qualifier,claimant,reported_by,note (and may add high,since,tolerance)"
    ]


def test_a_missing_or_binary_observations_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        read_observations(tmp_path / "none.csv")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00date")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        read_observations(tmp_path / "binary.csv")


def test_observations_outside_the_horizon_are_listed_as_such() -> None:
    scenario = baseline().with_horizon(start="2024-01", months=6)  # 2024-01 to 2024-06
    figures = key_figures(project(scenario), scenario, read_observations())
    notes = {(c.observation.day.isoformat(), c.observation.metric): c.why_missing for c in figures.observations}
    assert notes[("2023-10-13", "cumulative_containers")] == "before the projection starts (2024-01)"
    assert notes[("2024-08-27", "cumulative_containers")] == "after the horizon ends (2024-06)"
    assert notes[("2024-02-23", "cumulative_containers")] == ""
