"""The projection engine against docs/model.md: a worked example, the oracle, invariants and variants."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_projection

from ammoflow.scenarios.engine.projection import project, project_runs
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.columns import COLUMNS
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

# docs/model.md, "Output columns": a public contract, written out here rather than imported.
CONTRACT_COLUMNS = [
    "month",
    "days",
    "nk_production_russia",
    "nk_production_other",
    "rounds_shipped",
    "containers_shipped",
    "shells_152_shipped",
    "rockets_122_shipped",
    "cumulative_containers",
    "cumulative_rounds",
    "nk_stock",
    "ru_arrivals",
    "ru_supply",
    "ru_demand",
    "ru_fired",
    "ru_shortfall",
    "ru_stock",
    "return_containers",
    "food_tonnes",
]
NUMBER_COLUMNS = CONTRACT_COLUMNS[1:]

# The engine works with cumulative sums and differences of them where the reference steps
# month by month, so the two differ by rounding. Over 1,500 random scenarios the largest
# difference seen was 4e-6 rounds on a stock of 3.8e8 rounds (1e-14 relative). rel_tol=1e-9
# leaves five orders of magnitude of room and still catches an error of one round in a
# billion; abs_tol=1e-6 covers values that should be 0 and come out as rounding dust.
REL_TOL = 1e-9
ABS_TOL = 1e-6

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ScenarioStrategy = Callable[..., st.SearchStrategy[Scenario]]
ValueStrategy = Callable[[str], st.SearchStrategy[float]]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def assert_frames_close(got: pl.DataFrame, want: pl.DataFrame, what: str) -> None:
    assert got.columns == want.columns
    assert got["month"].to_list() == want["month"].to_list()
    for name in NUMBER_COLUMNS:
        pairs = zip(got["month"], got[name], want[name], strict=True)
        bad = [(month, g, w) for month, g, w in pairs if not close(g, w)]
        assert not bad, f"{what}: {name} differs in {len(bad)} month(s), first (month, got, expected): {bad[0]}"


def assert_matches_reference(scenario: Scenario) -> pl.DataFrame:
    frame = project(scenario)
    expected = reference_projection(scenario)
    assert frame.columns == CONTRACT_COLUMNS
    assert frame.height == scenario.months == len(expected)
    assert frame["month"].to_list() == [row["month"] for row in expected]
    for name in NUMBER_COLUMNS:
        got = frame[name].to_list()
        want = [float(row[name]) for row in expected]
        bad = [(row["month"], g, w) for row, g, w in zip(expected, got, want, strict=True) if not close(g, w)]
        assert not bad, f"{name} differs from the model in {len(bad)} month(s), first (month, engine, model): {bad[0]}"
    return frame


def at_every_edge(edge: str) -> Scenario:
    values = {p.key: float(getattr(p, edge)) for p in registry.PARAMETERS}
    return Scenario(values=values)


# -- the contract's shape and a worked example -----------------------------------------------


def test_columns_are_the_contract_in_order() -> None:
    assert list(COLUMNS) == CONTRACT_COLUMNS
    assert project(baseline()).columns == CONTRACT_COLUMNS


def test_baseline_has_one_row_per_month_from_2023_09_to_2027_08() -> None:
    months = project(baseline())["month"].to_list()
    assert len(months) == 48
    assert months[0] == "2023-09"
    assert months[4:6] == ["2024-01", "2024-02"]
    assert months[-1] == "2027-08"


def test_baseline_first_two_months_worked_by_hand() -> None:
    """docs/model.md's equations applied by hand to the defaults."""
    first, second = project(baseline()).head(2).iter_rows(named=True)
    # Rounds per container: 80% carry 448 shells, 20% carry 75 rockets.
    per_container = 0.8 * 448 + 0.2 * 75
    assert per_container == pytest.approx(373.4)
    expected_first = {
        "month": "2023-09",
        "days": 30,
        "nk_production_russia": 150_000,  # 150,000 x 100%
        "nk_production_other": 15_000,  # 50,000 x 30%
        "rounds_shipped": 410_740,  # 1,100 containers x 373.4; the stock is far above the reserve
        "containers_shipped": 1_100,
        "shells_152_shipped": 394_240,  # 1,100 x 80% x 448
        "rockets_122_shipped": 16_500,  # 1,100 x 20% x 75
        "cumulative_containers": 1_100,
        "cumulative_rounds": 410_740,
        "nk_stock": 5_739_260,  # 6,000,000 + 150,000 - 410,740
        "ru_arrivals": 0,  # a month in transit: nothing has arrived yet
        "ru_supply": 250_000,  # Russian production only
        "ru_demand": 600_000,  # 20,000 a day x 30 days
        "ru_fired": 600_000,
        "ru_shortfall": 0,
        "ru_stock": 3_650_000,  # 4,000,000 + 250,000 - 600,000
        "return_containers": 1_430,  # 1,100 x 1.3
        "food_tonnes": 28_600,  # 1,430 x 20 t
    }
    expected_second = {
        "month": "2023-10",
        "days": 31,
        "ru_arrivals": 410_740,  # September's shipment
        "ru_supply": 660_740,
        "ru_demand": 620_000,  # 31 days
        "ru_stock": 3_690_740,  # 3,650,000 + 660,740 - 620,000
        "nk_stock": 5_478_520,
        "cumulative_containers": 2_200,
        "cumulative_rounds": 821_480,
    }
    for expected, row in ((expected_first, first), (expected_second, second)):
        for name, value in expected.items():
            assert row[name] == (value if name == "month" else pytest.approx(value, rel=1e-12)), name


def test_baseline_shipping_stops_at_the_reserve_in_2025_04() -> None:
    """The stock falls 260,740 a month (410,740 shipped - 150,000 made) until the reserve binds."""
    frame = project(baseline())
    rows = {row["month"]: row for row in frame.iter_rows(named=True)}
    assert rows["2025-03"]["nk_stock"] == pytest.approx(6_000_000 - 19 * 260_740)  # 1,045,940
    assert rows["2025-04"]["rounds_shipped"] == pytest.approx(1_045_940 + 150_000 - 1_000_000)  # 195,940
    assert rows["2025-04"]["nk_stock"] == pytest.approx(1_000_000)
    # From then on North Korea ships exactly what it makes.
    assert rows["2025-05"]["rounds_shipped"] == pytest.approx(150_000)
    assert rows["2027-08"]["nk_stock"] == pytest.approx(1_000_000)


def test_stock_below_reserve_ships_nothing_until_production_lifts_it_above() -> None:
    scenario = Scenario(values={"nk_stock_initial": 0, "nk_reserve": 1_000_000}, months=9)
    shipped = project(scenario)["rounds_shipped"].to_list()
    # 150,000 a month: 900,000 after six months, 1,050,000 available in the seventh.
    assert shipped == pytest.approx([0, 0, 0, 0, 0, 0, 50_000, 150_000, 150_000])


def test_russia_runs_short_when_its_stock_is_gone() -> None:
    scenario = Scenario(
        values={"ru_stock_initial": 0, "ru_production": 100_000, "containers_per_month": 0, "ru_fire_rate": 10_000},
        start="2023-09",
        months=2,
    )
    frame = project(scenario)
    assert frame["ru_fired"].to_list() == pytest.approx([100_000, 100_000])
    assert frame["ru_shortfall"].to_list() == pytest.approx([200_000, 210_000])  # 30 and 31 days
    assert frame["ru_stock"].to_list() == pytest.approx([0, 0])


@pytest.mark.parametrize(
    ("start", "days"),
    [("2024-02", 29), ("2023-02", 28), ("2000-02", 29), ("2100-02", 28), ("2024-04", 30), ("2024-12", 31)],
)
def test_month_lengths_are_calendar_lengths(start: str, days: int) -> None:
    frame = project(Scenario(start=start, months=1, values={"ru_fire_rate": 12_500}))
    assert frame["days"].to_list() == [days]
    assert frame["ru_demand"].to_list() == [pytest.approx(12_500 * days)]


def test_february_2024_in_the_baseline_has_29_days_of_demand() -> None:
    row = project(baseline()).filter(pl.col("month") == "2024-02").row(0, named=True)
    assert row["days"] == 29
    assert row["ru_demand"] == pytest.approx(20_000 * 29)


def test_a_change_over_time_takes_effect_in_its_month() -> None:
    scenario = baseline().with_changes([Change("2024-01", "ru_fire_rate", 40_000)])
    demand = dict(project(scenario).select("month", "ru_demand").iter_rows())
    assert demand["2023-12"] == pytest.approx(20_000 * 31)
    assert demand["2024-01"] == pytest.approx(40_000 * 31)
    assert demand["2027-08"] == pytest.approx(40_000 * 31)


# -- the oracle: docs/model.md's equations as a plain loop ---------------------------------------


@pytest.mark.parametrize("edge", ["low", "high", "default"])
@pytest.mark.parametrize("months", [1, 240])
def test_every_parameter_at_one_edge_matches_the_model(edge: str, months: int) -> None:
    frame = assert_matches_reference(at_every_edge(edge).with_horizon(months=months))
    assert all(np.isfinite(frame[name].to_numpy()).all() for name in NUMBER_COLUMNS)


@pytest.mark.parametrize(
    "values",
    [
        {"nk_capacity_russia": 0, "containers_per_month": 0},
        {"ru_fire_rate": 0},
        {"nk_stock_initial": 0, "nk_reserve": 0, "nk_capacity_russia": 0},
        {"transit_months": 0},
        {"transit_months": 6},
        {"share_122_containers": 100, "rockets_122_per_container": 10},
        {"nk_reserve": 20_000_000},
    ],
    ids=str,
)
def test_edge_cases_match_the_model(values: dict[str, float]) -> None:
    assert_matches_reference(baseline().with_values(values))


@pytest.mark.parametrize(
    "changes",
    [
        [Change("2024-06", "nk_reserve", 3_000_000)],  # reserve rises: shipping stops sooner
        [Change("2025-06", "nk_reserve", 0)],  # reserve dropped: shipping resumes
        [Change("2023-09", "nk_reserve", 0), Change("2024-01", "nk_reserve", 5_000_000)],
        [Change("2024-03", "transit_months", 4)],
        [Change("2024-03", "transit_months", 0)],
        [Change("2024-03", "share_122_containers", 100), Change("2025-01", "containers_per_month", 0)],
        [Change("2024-03", "nk_utilisation_russia", 0), Change("2024-03", "ru_fire_rate", 80_000)],
    ],
    ids=lambda changes: ";".join(f"{c.parameter}={c.value:g}@{c.month}" for c in changes),
)
def test_changes_over_time_match_the_model(changes: list[Change]) -> None:
    assert_matches_reference(baseline().with_changes(changes))


@FAST
@given(data=st.data())
def test_engine_equals_model_on_random_scenarios(data: st.DataObject, scenario_strategy: ScenarioStrategy) -> None:
    assert_matches_reference(data.draw(scenario_strategy()))


# -- invariants (docs/model.md) --------------------------------------------------------------------


def rounding_scale(scenario: Scenario, frame: pl.DataFrame) -> float:
    """The largest running total the engine computes with, in rounds.

    The engine finds stocks as differences of running totals, so its rounding error
    scales with those totals (up to ~1e9 rounds), not with the stock itself.
    """
    totals = [
        scenario.values["nk_stock_initial"] + frame["nk_production_russia"].sum(),
        scenario.values["ru_stock_initial"] + frame["ru_supply"].sum(),
        frame["ru_demand"].sum(),
        frame["cumulative_containers"].max(),
    ]
    return max(1.0, *totals)


def check_invariants(scenario: Scenario, frame: pl.DataFrame) -> None:
    col = {name: frame[name].to_list() for name in NUMBER_COLUMNS}
    months = frame["month"].to_list()
    n = scenario.months
    # Over 2,000 random scenarios the largest miss was about 1e-15 of the scale; 1e-12 leaves
    # a wide margin and still notices a single round lost out of a billion.
    tol = ABS_TOL + 1e-12 * rounding_scale(scenario, frame)

    for name in NUMBER_COLUMNS:
        values = frame[name].to_numpy()
        assert np.isfinite(values).all(), f"{name} has NaN or infinity"
        # Every column counts days, rounds, containers or tonnes: none can be negative.
        assert (values >= 0).all(), f"{name} goes negative: {values.min()}"

    # North Korea: shipping never takes the stock below the reserve in force that month.
    # A stock already below the reserve (it started there, or the reserve was raised)
    # ships nothing, so it cannot fall; when the reserve is lowered, the stock may fall
    # to the new reserve. With one reserve throughout, this is docs/model.md's
    # "never below min(nk_reserve, nk_stock_initial)".
    reserve = scenario.series("nk_reserve")
    before = scenario.values["nk_stock_initial"]
    for t in range(n):
        floor = min(reserve[t], before)
        assert col["nk_stock"][t] >= floor - tol, f"{months[t]}: stock {col['nk_stock'][t]} below {floor}"
        if col["rounds_shipped"][t] > tol:
            assert col["nk_stock"][t] >= reserve[t] - tol, f"{months[t]}: shipped below the reserve"
        before = col["nk_stock"][t]
    if len(set(reserve)) == 1:
        assert min(col["nk_stock"]) >= min(reserve[0], scenario.values["nk_stock_initial"]) - tol

    # Shipping: never more than the containers can carry; rounds = shells + rockets.
    p = {key: scenario.series(key) for key in registry.KEYS}
    for t in range(n):
        share = p["share_122_containers"][t] / 100
        per_container = (1 - share) * p["shells_152_per_container"][t] + share * p["rockets_122_per_container"][t]
        assert col["rounds_shipped"][t] <= p["containers_per_month"][t] * per_container + tol
        assert abs(col["containers_shipped"][t] * per_container - col["rounds_shipped"][t]) <= tol
        assert abs(col["shells_152_shipped"][t] + col["rockets_122_shipped"][t] - col["rounds_shipped"][t]) <= tol
        own = p["ru_production"][t] + p["ru_other_imports"][t]
        assert abs(col["ru_supply"][t] - own - col["ru_arrivals"][t]) <= tol

    # Conservation, month by month and in docs/model.md's end-of-horizon form.
    nk, ru = scenario.values["nk_stock_initial"], scenario.values["ru_stock_initial"]
    for t in range(n):
        nk_next = nk + col["nk_production_russia"][t] - col["rounds_shipped"][t]
        ru_next = ru + col["ru_supply"][t] - col["ru_fired"][t]
        assert abs(col["nk_stock"][t] - nk_next) <= tol, f"{months[t]}: North Korean rounds appear or vanish"
        assert abs(col["ru_stock"][t] - ru_next) <= tol, f"{months[t]}: Russian rounds appear or vanish"
        nk, ru = col["nk_stock"][t], col["ru_stock"][t]
    nk_end = (
        scenario.values["nk_stock_initial"] + math.fsum(col["nk_production_russia"]) - math.fsum(col["rounds_shipped"])
    )
    ru_end = scenario.values["ru_stock_initial"] + math.fsum(col["ru_supply"]) - math.fsum(col["ru_fired"])
    assert abs(col["nk_stock"][-1] - nk_end) <= tol
    assert abs(col["ru_stock"][-1] - ru_end) <= tol

    # Every round shipped lands once, at its month plus the transit in force when it left,
    # unless that is after the horizon: shipped = arrived + still in transit at the end.
    transit = scenario.series("transit_months")
    in_transit = math.fsum(col["rounds_shipped"][t] for t in range(n) if t + int(transit[t]) >= n)
    arrived = math.fsum(col["ru_arrivals"])
    assert abs(math.fsum(col["rounds_shipped"]) - arrived - in_transit) <= tol, "rounds appear or vanish in transit"

    # Russia fires what it wants, or all it has.
    for t in range(n):
        assert abs(col["ru_fired"][t] + col["ru_shortfall"][t] - col["ru_demand"][t]) <= tol
        assert col["ru_fired"][t] <= col["ru_demand"][t] + tol

    # Running totals never fall and are the running sums of the monthly flows.
    for total, flow in (("cumulative_containers", "containers_shipped"), ("cumulative_rounds", "rounds_shipped")):
        assert all(b >= a - tol for a, b in itertools.pairwise(col[total])), f"{total} decreases"
        running = itertools.accumulate(col[flow])
        assert all(abs(a - b) <= tol for a, b in zip(col[total], running, strict=True)), total


@FAST
@given(data=st.data())
def test_invariants_hold_on_random_scenarios(data: st.DataObject, scenario_strategy: ScenarioStrategy) -> None:
    scenario = data.draw(scenario_strategy())
    check_invariants(scenario, project(scenario))


@pytest.mark.parametrize("edge", ["low", "high"])
def test_invariants_hold_with_every_parameter_at_an_edge(edge: str) -> None:
    scenario = at_every_edge(edge).with_horizon(months=240)
    check_invariants(scenario, project(scenario))


def test_a_lowered_reserve_lets_the_stock_fall_to_the_new_reserve() -> None:
    scenario = baseline().with_changes([Change("2026-01", "nk_reserve", 200_000)])
    stock = dict(project(scenario).select("month", "nk_stock").iter_rows())
    assert stock["2025-12"] == pytest.approx(1_000_000)
    # Shipping resumes at full capacity: 1,000,000 + 150,000 made - 410,740 shipped.
    assert stock["2026-01"] == pytest.approx(739_260)
    assert stock["2026-03"] == pytest.approx(739_260 - 2 * 260_740)  # 217,780
    assert stock["2026-04"] == pytest.approx(200_000)  # only 167,780 of the capacity is used
    assert stock["2027-08"] == pytest.approx(200_000)


def test_a_raised_reserve_stops_shipping_without_touching_the_stock() -> None:
    scenario = baseline().with_changes([Change("2024-06", "nk_reserve", 10_000_000)])
    frame = project(scenario)
    after = frame.filter(pl.col("month") >= "2024-06")
    assert after["rounds_shipped"].to_list() == [0.0] * after.height
    stock = after["nk_stock"].to_list()
    assert all(b - a == pytest.approx(150_000) for a, b in itertools.pairwise(stock))


@pytest.mark.parametrize("transit", [3, 0], ids=["transit rises 1->3", "transit falls 1->0"])
def test_every_round_shipped_arrives_exactly_once(transit: int) -> None:
    scenario = baseline().with_changes([Change("2024-01", "transit_months", transit)])
    frame = project(scenario)
    shipped = frame["rounds_shipped"].to_list()
    arrivals = frame["ru_arrivals"].to_list()
    # No round arrives twice ...
    assert sum(arrivals) <= sum(shipped) + 1e-6
    # ... and every round shipped at least `transit` months before the end has arrived.
    assert sum(arrivals) >= sum(shipped[: len(shipped) - transit]) - 1e-6


# -- many variants at once ----------------------------------------------------------------------

VARIED_KEYS = (
    "nk_stock_initial",
    "ru_stock_initial",
    "nk_reserve",
    "transit_months",
    "containers_per_month",
    "share_122_containers",
    "ru_fire_rate",
    "nk_capacity_russia",
    "ru_production",
    "food_tonnes_per_container",
)


@st.composite
def run_values(draw: st.DrawFn, runs: int, values_of: ValueStrategy) -> dict[str, list[float]]:
    """One in-range starting value per run for one to five parameters."""
    keys = draw(st.lists(st.sampled_from(VARIED_KEYS), min_size=1, max_size=5, unique=True))
    return {key: draw(st.lists(values_of(key), min_size=runs, max_size=runs)) for key in keys}


def assert_runs_equal_projections(scenario: Scenario, values: dict[str, list[float]], runs: int) -> None:
    frame = project_runs(scenario, {key: np.array(v) for key, v in values.items()})
    assert frame.columns == ["run", *CONTRACT_COLUMNS]
    assert frame.height == runs * scenario.months
    # Run-major: run 0's months, then run 1's ...
    assert frame["run"].to_list() == [r for r in range(runs) for _ in range(scenario.months)]
    for r in range(runs):
        one = scenario.with_values({key: v[r] for key, v in values.items()})
        part = frame.filter(pl.col("run") == r).drop("run")
        assert_frames_close(part, project(one), f"run {r} of {runs}")


@SLOW
@given(data=st.data(), runs=st.sampled_from([1, 2, 20]) | st.integers(1, 8))
def test_project_runs_equals_project_run_by_run(
    data: st.DataObject, runs: int, scenario_strategy: ScenarioStrategy, value_strategy: ValueStrategy
) -> None:
    scenario = data.draw(scenario_strategy(max_changes=0))
    values = data.draw(run_values(runs, value_strategy))
    assert_runs_equal_projections(scenario, values, runs)


@SLOW
@given(data=st.data(), runs=st.sampled_from([2, 20]) | st.integers(1, 8))
def test_project_runs_with_changes_over_time_equals_project_run_by_run(
    data: st.DataObject, runs: int, scenario_strategy: ScenarioStrategy, value_strategy: ValueStrategy
) -> None:
    scenario = data.draw(scenario_strategy(max_changes=4))
    values = data.draw(run_values(runs, value_strategy))
    assert_runs_equal_projections(scenario, values, runs)


def test_project_runs_with_a_changing_reserve_and_varying_stocks() -> None:
    scenario = baseline().with_changes([Change("2024-06", "nk_reserve", 3_000_000), Change("2025-06", "nk_reserve", 0)])
    values = {
        "nk_stock_initial": [0.0, 2_000_000, 6_000_000, 15_000_000, 50_000_000],
        "nk_reserve": [0.0, 500_000, 1_000_000, 3_000_000, 20_000_000],
        "transit_months": [0.0, 1, 2, 6, 3],
    }
    assert_runs_equal_projections(scenario, values, 5)


def test_project_runs_without_values_repeats_the_scenario() -> None:
    scenario = baseline().with_horizon(months=12)
    frame = project_runs(scenario, runs=3)
    assert frame["run"].unique().sort().to_list() == [0, 1, 2]
    for r in range(3):
        assert_frames_close(frame.filter(pl.col("run") == r).drop("run"), project(scenario), f"run {r}")


def test_project_runs_months_repeat_in_each_run() -> None:
    scenario = baseline().with_horizon(start="2024-11", months=3)
    frame = project_runs(scenario, {"ru_fire_rate": [1.0, 2.0]})
    assert frame["month"].to_list() == ["2024-11", "2024-12", "2025-01"] * 2


@pytest.mark.parametrize(
    ("values", "runs", "error", "words"),
    [
        ({"ru_fire_rte": [1.0, 2.0]}, None, KeyError, "ru_fire_rate"),
        ({"ru_fire_rate": [1.0, 2.0], "ru_production": [1.0, 2.0, 3.0]}, None, ValueError, "one value per run"),
        ({"ru_fire_rate": [1.0, 2.0]}, 3, ValueError, "one value per run"),
        ({}, 0, ValueError, "at least one run"),
    ],
    ids=["unknown key", "lengths differ", "length differs from runs", "no runs"],
)
def test_project_runs_rejects_bad_input(
    values: dict[str, list[float]], runs: int | None, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        project_runs(baseline(), values, runs)


def test_docs_model_lists_the_output_columns_with_their_units_in_order() -> None:
    """docs/model.md's "Output columns" table is the contract; model/columns.py must say the same."""
    from pathlib import Path

    from ammoflow.scenarios.model.columns import OUTPUT

    text = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("## Output columns", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:4] for line in section.splitlines() if line.startswith("| `")]
    documented = [(name.strip().strip("`"), unit.strip(), meaning.strip()) for name, unit, meaning in rows]
    assert documented == [(c.name, c.unit, c.meaning) for c in OUTPUT]
    assert [c.name for c in OUTPUT] == CONTRACT_COLUMNS
