"""A pace per period: a parameter fitted as steps, against schedules the engine made; bounds as bounds."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.analysis.fit import fit
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import projected_at
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

KEY = "containers_per_month"
STEP = registry.BY_KEY[KEY].step


def scheduled(start: float, *changes: tuple[str, float]) -> Scenario:
    """The baseline with ``KEY`` at ``start`` and changing at each (month, value)."""
    return baseline().with_values({KEY: start}).with_changes([Change(month, KEY, value) for month, value in changes])


def engine_observations(truth: Scenario, last: date = date(2024, 12, 15)) -> list[Observation]:
    """Cumulative containers on the 15th of every month from 2023-10 to ``last``, as the engine projects them.

    No claimant: a scale of 1, so the values are the truth's own.
    """
    frame = project(truth)
    made = []
    year, month = 2023, 10
    while date(year, month, 15) <= last:
        day = date(year, month, 15)
        projected = projected_at(frame, truth, Observation(day, "cumulative_containers", 1)).projected
        assert projected is not None
        made.append(Observation(day, "cumulative_containers", projected))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return made


def containers_at(scenario: Scenario, day: date) -> float:
    projected = projected_at(project(scenario), scenario, Observation(day, "cumulative_containers", 1)).projected
    assert projected is not None
    return projected


def on_the_slider(value: float) -> bool:
    parameter = registry.BY_KEY[KEY]
    steps = (value - parameter.low) / parameter.step
    return abs(steps - round(steps)) < 1e-9 or value == parameter.high


# -- recovering a schedule -------------------------------------------------------------------


def test_steps_from_listed_months_recover_the_schedule_that_made_the_observations() -> None:
    truth = scheduled(700, ("2024-01", 1_300), ("2024-07", 900))
    result = fit(baseline(), [KEY], engine_observations(truth), steps_from=["2024-01", "2024-07"])
    assert [step.month for step in result.steps] == ["2023-09", "2024-01", "2024-07"]
    for step, expected in zip(result.steps, (700, 1_300, 900), strict=True):
        assert step.value == pytest.approx(expected, abs=2 * STEP), step
        assert step.before == 1_100  # the baseline's value then
    assert result.converged
    fitted = result.scenario
    assert fitted.values[KEY] == result.steps[0].value
    assert [(c.month, c.value) for c in fitted.changes if c.parameter == KEY] == [
        (step.month, step.value) for step in result.steps[1:]
    ]
    assert all(row.consistent for row in result.rows)
    assert result.score < result.score_before


def test_per_year_fits_a_value_for_each_year_up_to_the_last_observation() -> None:
    truth = scheduled(600, ("2024-01", 1_200))
    result = fit(baseline(), [KEY], engine_observations(truth), per="year")
    assert [step.month for step in result.steps] == ["2023-09", "2024-01"]  # no 2025: nothing observed then
    assert [step.value for step in result.steps] == pytest.approx([600, 1_200], abs=2 * STEP)


@settings(max_examples=6, deadline=None)
@given(
    first=st.integers(40, 100).map(lambda n: n * 10.0),
    second=st.integers(80, 150).map(lambda n: n * 10.0),
)
def test_any_two_year_pace_is_recovered_within_two_slider_steps(first: float, second: float) -> None:
    truth = scheduled(first, ("2024-01", second))
    result = fit(baseline(), [KEY], engine_observations(truth, last=date(2024, 9, 15)), per="year")
    assert [step.value for step in result.steps] == pytest.approx([first, second], abs=2 * STEP)


def test_fitted_values_are_slider_points() -> None:
    truth = scheduled(733.3, ("2024-01", 1_287.7))  # off the slider's points
    observations = engine_observations(truth)
    result = fit(baseline(), [KEY], observations, per="year")
    assert all(on_the_slider(step.value) for step in result.steps)
    one = fit(baseline(), [KEY], observations)
    assert on_the_slider(one.values[KEY])
    assert one.values[KEY] == round(one.values[KEY])  # no 1075.0778853575528


def test_a_step_after_the_last_observation_keeps_the_planned_value_and_later_plans_are_kept() -> None:
    start = scheduled(1_100, ("2024-03", 2_000), ("2026-01", 500))
    truth = scheduled(700, ("2024-01", 1_300))
    result = fit(start, [KEY], engine_observations(truth), steps_from=["2024-01", "2025-06"])
    assert result.uninformed == (f"{KEY} from 2025-06",)
    assert result.steps[2].value == 2_000  # what the scenario had planned for 2025-06
    changes = [(c.month, c.value) for c in result.scenario.changes if c.parameter == KEY]
    # 2024-03 lay inside what was observed: the schedule replaces it; 2026-01 is a plan, kept.
    assert [month for month, _ in changes] == ["2024-01", "2025-06", "2026-01"]
    assert changes[-1] == ("2026-01", 500)


# -- bounds are bounds ---------------------------------------------------------------------


def test_a_lower_bound_below_the_fit_costs_nothing() -> None:
    truth = scheduled(900)
    observations = engine_observations(truth, last=date(2024, 6, 15))
    without = fit(baseline(), [KEY], observations)
    bound = Observation(date(2024, 6, 27), "cumulative_containers", 1_000, "more than")
    with_bound = fit(baseline(), [KEY], [*observations, bound])
    assert with_bound.values == without.values
    assert with_bound.score == pytest.approx(without.score)
    row = with_bound.rows[-1]
    assert row.consistent and row.fitted > 1_000 and row.verdict


def test_bounds_met_everywhere_leave_the_scenario_as_it_was() -> None:
    bounds = [
        Observation(date(2023, 12, 1), "cumulative_containers", 1_000, "more than"),
        Observation(date(2024, 8, 27), "cumulative_containers", 60_000, "less than"),
    ]
    result = fit(baseline(), [KEY], bounds)
    assert result.values[KEY] == 1_100  # nothing asks for another value
    assert result.score == result.score_before
    assert all(row.consistent for row in result.rows)


def test_a_lower_bound_above_the_projection_lifts_the_fit_just_over_it() -> None:
    day = date(2024, 6, 14)
    bound = Observation(day, "cumulative_containers", 12_000, "at least")
    start = baseline().with_value(KEY, 500)
    result = fit(start, [KEY], [bound])
    value = result.values[KEY]
    assert containers_at(result.scenario, day) >= 12_000
    assert containers_at(start.with_value(KEY, value - STEP), day) < 12_000  # no further than needed
    assert result.rows[0].consistent


# -- what a schedule fit refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "options", "message"),
    [
        ([KEY, "ru_fire_rate"], {"per": "year"}, "one parameter at a time, not 2"),
        (["nk_stock_initial"], {"per": "year"}, "nk_stock_initial cannot change over time"),
        ([KEY], {"per": "decade"}, 'fit per "decade"'),
        ([KEY], {"steps_from": ["2024-13"]}, '"2024-13" is not a month'),
        ([KEY], {"steps_from": ["2030-01"]}, "2030-01 is outside the horizon \\(2023-09 to 2027-08\\)"),
        ([KEY], {"steps_from": ["2024-01", "2024-01"]}, "2024-01 is listed twice"),
        ([KEY], {"per": "year", "steps_from": ["2024-01"]}, "not both"),
    ],
)
def test_a_schedule_fit_refuses_what_it_cannot_do(keys: list[str], options: dict[str, object], message: str) -> None:
    observations = engine_observations(baseline(), last=date(2024, 3, 15))
    with pytest.raises(ScenarioError, match=message):
        fit(baseline(), keys, observations, **options)  # type: ignore[arg-type]  # the options under test


# -- the command ----------------------------------------------------------------------------


def ammoflow(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ammoflow", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_fit_per_year_on_the_command_line(tmp_path: Path) -> None:
    done = ammoflow("fit", "baseline", "--parameter", KEY, "--per", "year", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [step["from"] for step in out["steps"]] == ["2023-09", "2024-01"]
    assert all(on_the_slider(step["value"]) for step in out["steps"])
    assert {row["verdict"] for row in out["observations"]}  # every observation has its verdict
    assert all(isinstance(row["consistent"], bool) for row in out["observations"])
    assert out["scales"] and all(0 < scale["p5"] <= scale["mean"] <= scale["p95"] for scale in out["scales"].values())
    table = ammoflow("fit", "baseline", "--parameter", KEY, "--per", "year", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert f"{KEY} from 2024-01 = " in table.stdout and "scale" in table.stdout


def test_fit_from_months_saves_the_schedule_with_the_files_comments(tmp_path: Path) -> None:
    done = ammoflow(
        "fit", "baseline", "--parameter", KEY, "--from", "2024-01, 2024-07", "--output", "paced.toml",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    saved = (tmp_path / "paced.toml").read_text()
    assert "# Baseline: the model's default assumptions." in saved  # the preset's comments kept
    from ammoflow.scenarios.files.scenario_toml import parse_scenario

    scenario = parse_scenario(saved, "paced.toml")
    assert scenario.values[KEY] == out["steps"][0]["value"]
    assert [(c.month, c.value) for c in scenario.changes] == [(s["from"], s["value"]) for s in out["steps"][1:]]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--from", "2024-13"], 1, '"2024-13" is not a month'),
        (["--from", "2031-01"], 1, "2031-01 is outside the horizon"),
        (["--from", ","], 1, "--from needs at least one month"),
        (["--per", "decade"], 2, "'decade' is not 'year'"),
        (["--per", "year", "--parameter", "ru_fire_rate"], 1, "one parameter at a time, not 2"),
        (["--per", "year", "--from", "2024-01"], 1, "not both"),
    ],
)
def test_fit_per_period_bad_input_is_one_clear_line(args: list[str], status: int, message: str) -> None:
    done = ammoflow("fit", "baseline", "--parameter", KEY, *args)
    assert done.returncode == status, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_stock_cannot_be_fitted_per_year_and_says_why() -> None:
    done = ammoflow("fit", "baseline", "--parameter", "nk_stock_initial", "--per", "year")
    assert done.returncode == 1
    assert "nk_stock_initial cannot change over time" in done.stderr and "Traceback" not in done.stderr
