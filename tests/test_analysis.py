"""Sensitivity (tornado), goal seeking and fitting, against answers known without them.

Each analysis is checked against something it must agree with: single projections of the
same variants, closed-form answers on scenarios built to be linear, and observations
made by the engine itself from known parameter values.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ammoflow.scenarios.analysis import seek
from ammoflow.scenarios.analysis.fit import fit, projected_at_dates
from ammoflow.scenarios.analysis.seek import goal_seek
from ammoflow.scenarios.analysis.sensitivity import format_value, tornado
from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import FIGURES, key_figures, projected_at
from ammoflow.scenarios.model.months import parse_month
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Change, Scenario, Uncertainty, baseline

MONTH_FIGURES = {f.key for f in FIGURES if f.kind == "month"}


def figure_of(scenario: Scenario, figure_key: str) -> float:
    """A key figure of one plain projection, as the analyses compare it (months from the start)."""
    value = key_figures(project(scenario), scenario).value(figure_key)
    if figure_key in MONTH_FIGURES:
        return float(scenario.months if value is None else parse_month(str(value)) - scenario.start_index)
    return float(value)  # type: ignore[arg-type]


# -- tornado --------------------------------------------------------------------------------


@pytest.mark.parametrize("figure_key", ["total_shortfall", "first_shortfall_month", "nk_share_of_supply"])
def test_tornado_bars_match_single_projections(figure_key: str) -> None:
    scenario = baseline()
    chart = tornado(scenario, figure_key)
    assert chart.base == pytest.approx(figure_of(scenario, figure_key))
    assert {bar.key for bar in chart.bars} == set(registry.KEYS)
    for bar in chart.bars:
        assert (bar.low, bar.high) == registry.BY_KEY[bar.key].uncertainty
        assert bar.at_low == pytest.approx(figure_of(scenario.with_value(bar.key, bar.low), figure_key)), bar.key
        assert bar.at_high == pytest.approx(figure_of(scenario.with_value(bar.key, bar.high), figure_key)), bar.key


def test_tornado_sorts_by_effect_and_gives_no_effect_a_zero_bar() -> None:
    chart = tornado(baseline(), "total_shortfall")
    swings = [bar.swing for bar in chart.bars]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 0
    food = next(bar for bar in chart.bars if bar.key == "food_tonnes_per_container")
    assert food.at_low == food.at_high == chart.base
    # The fire rate decides the shortfall more than anything else on the baseline.
    assert chart.bars[0].key == "ru_fire_rate"


def test_tornado_uses_the_scenarios_own_ranges_and_leaves_out_point_ranges() -> None:
    scenario = baseline()
    scenario = Scenario(
        values=scenario.values,
        uncertainty=Uncertainty(ranges={"ru_fire_rate": (19_000, 21_000), "ru_other_imports": (0, 0)}),
    )
    chart = tornado(scenario, "total_shortfall")
    assert chart.fixed == ("ru_other_imports",)
    assert "ru_other_imports" not in {bar.key for bar in chart.bars}
    fire = next(bar for bar in chart.bars if bar.key == "ru_fire_rate")
    assert (fire.low, fire.high) == (19_000, 21_000)
    assert fire.at_high == pytest.approx(figure_of(scenario.with_value("ru_fire_rate", 21_000), "total_shortfall"))


def test_tornado_rejects_an_unknown_figure() -> None:
    with pytest.raises(ScenarioError, match='did you mean "total_shortfall"'):
        tornado(baseline(), "total_shortfal")


def test_format_value_reads_month_figures_as_months() -> None:
    scenario = baseline()
    assert format_value("first_shortfall_month", 0, scenario) == "2023-09"
    assert format_value("first_shortfall_month", scenario.months, scenario) == "none"
    assert format_value("total_shortfall", 1_170_000) == "1,170,000 rounds"


# -- goal seek ------------------------------------------------------------------------------

# North Korea holds far more than can be shipped and keeps nothing back: shipping is
# capacity-bound, so rounds shipped = containers a month x rounds per container x months.
CAPACITY_BOUND = {"nk_stock_initial": 50_000_000, "nk_reserve": 0}


@pytest.mark.parametrize("target", [10_000_000, 3_333_333])
def test_seek_shipment_rate_for_rounds_shipped_is_linear(target: float) -> None:
    scenario = baseline().with_values(CAPACITY_BOUND)
    per_container = 0.8 * 448 + 0.2 * 75
    result = goal_seek(scenario, "containers_per_month", "rounds_shipped", target)
    assert result.found
    assert result.value is not None
    assert result.value == pytest.approx(target / (scenario.months * per_container), rel=1e-9)
    assert result.achieved == pytest.approx(target, rel=1e-9)
    assert figure_of(scenario.with_value("containers_per_month", result.value), "rounds_shipped") == pytest.approx(
        target, rel=1e-9
    )


@pytest.mark.parametrize("target", [15_000, "15,250"])
def test_seek_fire_rate_for_average_fired_with_ample_stock(target: float | str) -> None:
    scenario = baseline().with_value("ru_stock_initial", 50_000_000)
    result = goal_seek(scenario, "ru_fire_rate", "average_fired_per_day", target)
    expected = float(str(target).replace(",", ""))
    assert result.found
    assert result.value is not None
    assert result.value == pytest.approx(expected, rel=1e-9)
    assert result.achieved == pytest.approx(expected, rel=1e-9)
    assert result.message.startswith(f"average_fired_per_day reaches {expected:,.0f} rounds/day at ru_fire_rate")


def test_seek_reports_an_unreachable_target_with_the_figures_range() -> None:
    scenario = baseline()
    result = goal_seek(scenario, "containers_per_month", "total_shortfall", 0)
    assert not result.found
    assert result.value is None and result.achieved is None
    low, high = result.figure_range
    # Shipping more cannot make up for what North Korea does not have.
    assert low == pytest.approx(figure_of(scenario, "total_shortfall"))
    assert high == pytest.approx(figure_of(scenario.with_value("containers_per_month", 0), "total_shortfall"))
    assert result.message == (
        f"total_shortfall stays between {low:,.0f} and {high:,.0f} rounds "
        "for containers_per_month from 0 to 5,000 containers/month; 0 rounds cannot be reached"
    )


def test_seek_the_lowest_production_at_which_russia_lasts_to_the_horizon() -> None:
    scenario = baseline()
    assert figure_of(scenario, "first_shortfall_month") < scenario.months
    result = goal_seek(scenario, "ru_production", "first_shortfall_month", "never")
    assert result.found and result.achieved == scenario.months
    assert result.value is not None
    step = registry.BY_KEY["ru_production"].step
    assert result.value % step == 0
    assert figure_of(scenario.with_value("ru_production", result.value), "first_shortfall_month") == scenario.months
    assert figure_of(scenario.with_value("ru_production", result.value - step), "first_shortfall_month") < 48
    assert result.interval == (result.value, registry.BY_KEY["ru_production"].high)


def test_seek_the_shipment_rate_at_which_russia_lasts_to_the_horizon() -> None:
    # With North Korea's stock ample, shipping faster does keep Russia firing.
    scenario = baseline().with_values({"nk_stock_initial": 30_000_000, "containers_per_month": 600})
    result = goal_seek(scenario, "containers_per_month", "first_shortfall_month", "horizon")
    assert result.found
    assert result.value is not None
    assert figure_of(scenario.with_value("containers_per_month", result.value), "first_shortfall_month") == 48
    assert figure_of(scenario.with_value("containers_per_month", result.value - 10), "first_shortfall_month") < 48
    assert "is never within the horizon at containers_per_month = " in result.message


def test_seek_says_when_the_target_already_holds() -> None:
    scenario = baseline().with_value("nk_stock_initial", 30_000_000)
    result = goal_seek(scenario, "containers_per_month", "first_shortfall_month", "never")
    assert result.found and result.value == scenario.values["containers_per_month"]
    assert result.value is not None
    assert result.interval is not None and result.interval[0] < result.value
    assert "is already never within the horizon" in result.message


def test_seek_a_month_that_shipping_cannot_reach_on_the_baseline() -> None:
    # On the baseline North Korea runs out whatever the rate: the shortfall comes by 2027-03.
    result = goal_seek(baseline(), "containers_per_month", "first_shortfall_month", "never")
    assert not result.found
    assert "stays between 2024-08 and 2027-03" in result.message
    assert result.message.endswith("never within the horizon cannot be reached")


def test_seek_a_month_given_as_yyyy_mm() -> None:
    scenario = baseline()
    result = goal_seek(scenario, "containers_per_month", "first_shortfall_month", "2026-01")
    assert result.found
    assert result.value is not None
    fitted = scenario.with_value("containers_per_month", result.value)
    assert key_figures(project(fitted), fitted).first_shortfall_month == "2026-01"


def test_seek_gives_whole_numbers_for_integer_parameters() -> None:
    result = goal_seek(baseline(), "transit_months", "first_shortfall_month", "2027-01")
    assert result.found
    assert result.value is not None
    assert result.value == int(result.value)
    assert figure_of(baseline().with_value("transit_months", result.value), "first_shortfall_month") == 40


def test_seek_with_several_crossings_reports_the_nearest(monkeypatch: pytest.MonkeyPatch) -> None:
    # A figure that falls and rises again: (x - 1,000)^2 / 1,000 meets 100 at 1,000 -+ 316.2.
    monkeypatch.setattr(seek._Search, "figures", lambda self, values: (values - 1_000) ** 2 / 1_000)
    result = goal_seek(baseline(), "containers_per_month", "total_shortfall", 100)
    assert result.found
    assert result.value is not None
    assert result.value == pytest.approx(1_000 + 100_000**0.5, abs=0.1)  # the current value is 1,100
    assert result.others == pytest.approx((1_000 - 100_000**0.5,), abs=0.1)
    assert "also does at 1 other value: 683.8" in result.message


def test_seek_rejects_bad_requests() -> None:
    with pytest.raises(ScenarioError, match="outside the horizon"):
        goal_seek(baseline(), "containers_per_month", "first_shortfall_month", "2030-01")
    with pytest.raises(ScenarioError, match='did you mean "containers_per_month"'):
        goal_seek(baseline(), "containers_per_mont", "total_shortfall", 0)
    with pytest.raises(ScenarioError, match="must be a number"):
        goal_seek(baseline(), "containers_per_month", "total_shortfall", "lots")


def test_seek_notes_that_changes_over_time_still_apply() -> None:
    scenario = baseline().with_changes([Change("2025-01", "ru_fire_rate", 30_000)])
    result = goal_seek(scenario, "ru_fire_rate", "total_shortfall", 5_000_000)
    assert result.found
    assert result.value is not None
    assert "changes over time still apply" in result.message
    assert figure_of(scenario.with_value("ru_fire_rate", result.value), "total_shortfall") == pytest.approx(
        5_000_000, rel=1e-6
    )


# -- fit ------------------------------------------------------------------------------------

DATES = [date(2023, 10, 13), date(2023, 12, 1), date(2024, 2, 23), date(2024, 6, 30), date(2024, 8, 27)]


def observations_from(scenario: Scenario) -> list[Observation]:
    """Containers and rounds at each of DATES, as the engine projects them for ``scenario``."""
    frame = project(scenario)
    made = []
    for day in DATES:
        for metric in ("cumulative_containers", "cumulative_rounds"):
            check = projected_at(frame, scenario, Observation(day, metric, 1))
            assert check.projected is not None
            made.append(Observation(day, metric, check.projected, claimant="the engine"))
    return made


def test_fit_recovers_the_parameters_that_made_the_observations() -> None:
    truth = baseline().with_values({"containers_per_month": 900, "shells_152_per_container": 420})
    observed = observations_from(truth)
    start = baseline().with_values({"containers_per_month": 2_000, "shells_152_per_container": 700})
    result = fit(start, ["containers_per_month", "shells_152_per_container"], observed)
    assert result.values["containers_per_month"] == pytest.approx(900, abs=registry.BY_KEY["containers_per_month"].step)
    assert result.values["shells_152_per_container"] == pytest.approx(
        420, abs=2 * registry.BY_KEY["shells_152_per_container"].step
    )
    assert result.scenario.values["containers_per_month"] == result.values["containers_per_month"]
    assert result.score < result.score_before
    assert all(abs(row.relative) < 1e-3 and row.consistent for row in result.rows)
    assert [row.claimant for row in result.rows] == ["the engine"] * len(observed)


def test_fit_rows_agree_with_projected_at() -> None:
    scenario = baseline()
    observations = read_observations()
    result = fit(scenario, ["containers_per_month"], observations)
    fitted = result.scenario
    frame = project(fitted)
    for row, observation in zip(result.rows, observations, strict=True):
        assert row.fitted == pytest.approx(projected_at(frame, fitted, observation).projected)
        assert row.residual == pytest.approx(row.fitted - row.observed)
        assert row.relative == pytest.approx(row.residual / row.observed)
    assert result.score <= result.score_before


def test_fit_skips_and_lists_observations_outside_the_horizon() -> None:
    scenario = Scenario(start="2024-01", months=6)
    observations = read_observations()
    result = fit(scenario, ["nk_stock_initial"], observations)
    inside = [o for o in observations if date(2024, 1, 1) <= o.day < date(2024, 7, 1)]
    assert [(row.day, row.metric) for row in result.rows] == [(o.day, o.metric) for o in inside]
    assert len(result.skipped) == len(observations) - len(inside)
    assert {why for _, why in result.skipped} == {
        "before the projection starts (2024-01)",
        "after the horizon ends (2024-06)",
    }


def test_projected_at_dates_matches_projected_at_for_every_run() -> None:
    scenario = baseline()
    observations = read_observations()
    rates = np.array([0.0, 700.0, 1_234.5])
    values = project_batch(scenario, {"containers_per_month": rates})
    table = projected_at_dates(values, observations)
    for run, rate in enumerate(rates):
        variant = scenario.with_value("containers_per_month", rate)
        frame = project(variant)
        expected = [projected_at(frame, variant, o).projected for o in observations]
        assert table[run] == pytest.approx(expected)


def test_fit_leaves_a_parameter_without_effect_at_the_scenarios_value() -> None:
    result = fit(baseline(), ["transit_months", "containers_per_month"], read_observations())
    assert result.uninformed == ("transit_months",)
    assert result.values["transit_months"] == baseline().values["transit_months"]


def test_fit_rejects_what_it_cannot_do() -> None:
    observations = read_observations()
    with pytest.raises(ScenarioError, match="1 to 3 parameters, not 4"):
        fit(baseline(), ["containers_per_month", "nk_stock_initial", "nk_reserve", "ru_fire_rate"], observations)
    with pytest.raises(ScenarioError, match='unknown parameter "shells"'):
        fit(baseline(), ["shells"], observations)
    with pytest.raises(ScenarioError, match="at least one parameter"):
        fit(baseline(), [], observations)
    with pytest.raises(ScenarioError, match="none of the 10 observations can be used"):
        fit(Scenario(start="2030-01", months=12), ["containers_per_month"], observations)


def test_a_seek_across_a_kink_meets_the_target_not_a_straight_line() -> None:
    """Total shortfall bends where Russia's stock runs out; the answer must still hit the target."""
    from ammoflow.scenarios.analysis.seek import goal_seek
    from ammoflow.scenarios.engine.projection import project
    from ammoflow.scenarios.files import presets
    from ammoflow.scenarios.model.figures import key_figures

    scenario = presets.load("baseline")
    result = goal_seek(scenario, "ru_production", "total_shortfall", 15_000)
    assert result.found
    check = scenario.with_value("ru_production", result.value)
    assert key_figures(project(check), check).total_shortfall == pytest.approx(15_000, rel=1e-6, abs=1)
