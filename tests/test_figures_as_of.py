"""The figures read "as of" a month: they tell apart scenarios that end alike (docs/model.md, "Key figures")."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference_projection
from test_cli import ammoflow

from ammoflow.scenarios.engine.batch import project_batch
from ammoflow.scenarios.engine.batch_figures import run_figures
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model.figures import AHEAD_MONTHS, format_difference, format_figure, key_figures
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.scenario import Scenario

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF_KEYS = ("shortfall_next_12_months", "nk_stock_as_of", "ru_stock_as_of", "nk_months_of_fire")


def reference_as_of(scenario: Scenario, as_of: int) -> dict[str, float | str | None]:
    """The as-of figures worked out literally, row by row, from the plain-Python projection."""
    rows = reference_projection(scenario)
    # Outside the horizon the figures are read at its nearer end.
    at = as_of - scenario.start_index
    at = 0 if at < 0 else scenario.months - 1 if at >= scenario.months else at
    shortfall = 0.0
    for i in range(at, min(at + AHEAD_MONTHS, scenario.months)):
        shortfall += float(rows[i]["ru_shortfall"])
    arrived = fired = 0.0
    for i in range(at + 1):
        arrived += float(rows[i]["ru_arrivals"])
        fired += float(rows[i]["ru_fired"])
    per_month = fired / (at + 1)
    return {
        "shortfall_next_12_months": shortfall,
        "nk_stock_as_of": float(rows[at]["nk_stock"]),
        "ru_stock_as_of": float(rows[at]["ru_stock"]),
        "nk_months_of_fire": arrived / per_month if fired >= 1.0 else None,
        "as_of": str(rows[at]["month"]),
    }


@SETTINGS
@given(data=st.data())
def test_as_of_figures_follow_the_equations(data: st.DataObject, scenario_strategy) -> None:  # type: ignore[no-untyped-def]
    scenario = data.draw(scenario_strategy(max_changes=3))
    # Months before the start and after the end too: they are read at the horizon's ends.
    as_of = data.draw(st.integers(scenario.start_index - 3, scenario.start_index + scenario.months + 3))
    figures = key_figures(project(scenario), scenario, as_of=as_of)
    want = reference_as_of(scenario, as_of)
    assert figures.as_of == want["as_of"]
    for key in AS_OF_KEYS:
        got, expected = figures.value(key), want[key]
        if expected is None:
            assert got is None, key
        else:
            assert isinstance(got, float)
            assert math.isclose(got, float(expected), rel_tol=1e-9, abs_tol=1e-3), (key, got, expected)


@SETTINGS
@given(data=st.data())
def test_every_run_of_a_batch_has_the_as_of_figures_of_its_own_projection(  # type: ignore[no-untyped-def]
    data: st.DataObject, scenario_strategy, value_strategy
) -> None:
    scenario = data.draw(scenario_strategy(max_changes=3))
    runs = data.draw(st.integers(1, 4))
    rates = np.array(data.draw(st.lists(value_strategy("ru_fire_rate"), min_size=runs, max_size=runs)))
    as_of = data.draw(st.integers(scenario.start_index - 2, scenario.start_index + scenario.months + 2))
    batch = run_figures(project_batch(scenario, {"ru_fire_rate": rates}, runs), as_of)
    for r in range(runs):
        one = scenario.with_values({"ru_fire_rate": float(rates[r])})
        figures = key_figures(project(one), one, as_of=as_of)
        for key in AS_OF_KEYS:
            got, expected = batch[key][r], figures.value(key)
            if expected is None:
                assert math.isnan(got), key
            else:
                assert math.isclose(got, float(expected), rel_tol=1e-9, abs_tol=1e-3), (key, got, expected)


def test_months_of_fire_read_as_months_and_differ_as_shown() -> None:
    assert format_figure("nk_months_of_fire", 17.578) == "17.6 months"
    assert format_figure("nk_months_of_fire", 17.578, unit=False) == "17.6"
    assert format_figure("nk_months_of_fire", None) == "n/a"
    # 17.578 shows as 17.6 and 17.544 as 17.5: the difference a reader sees is 0.1.
    assert format_difference("nk_months_of_fire", 17.578, 17.544) == "-0.1"
    assert format_difference("nk_months_of_fire", 17.58, 17.59) == ""


def test_the_twelve_months_ahead_stop_at_the_horizon() -> None:
    # Russia alone runs dry: 1,000,000 rounds at 10,000 a day last about three months.
    scenario = Scenario(
        start="2024-01",
        months=6,
        values={
            "containers_per_month": 0,
            "ru_production": 0,
            "ru_other_imports": 0,
            "ru_stock_initial": 1_000_000,
            "ru_fire_rate": 10_000,
        },
    )
    frame = project(scenario)
    from_april = key_figures(frame, scenario, as_of=parse_month("2024-04"))
    assert from_april.shortfall_next_12_months == float(frame["ru_shortfall"].tail(3).sum())
    assert from_april.nk_months_of_fire == 0.0
    assert key_figures(frame, scenario, as_of=parse_month("2030-01")).as_of == "2024-06"


def diff_json(*args: str) -> dict[str, dict[str, str]]:
    done = ammoflow("diff", "baseline", "nk-cutback-2025", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    figures: dict[str, dict[str, str]] = json.loads(done.stdout)["figures"]
    return figures


def test_diff_of_the_cutback_tells_it_apart_in_more_than_one_figure() -> None:
    # Both scenarios drain North Korea's stock by the horizon; read in between, they differ.
    figures = diff_json("--as-of", "2026-01")
    differing = sorted(key for key, row in figures.items() if row["difference"])
    assert len(differing) > 1, differing
    assert {"nk_stock_as_of", "ru_stock_as_of", "nk_months_of_fire"} <= set(differing)


def test_diff_reads_the_as_of_figures_at_this_month_by_default() -> None:
    done = ammoflow("diff", "baseline", "nk-cutback-2025")
    assert done.returncode == 0, done.stderr
    from datetime import date

    from ammoflow.scenarios.model.months import month_of

    scenario = Scenario(start="2023-09", months=48)
    shown = format_month(min(max(month_of(date.today()), scenario.start_index), scenario.start_index + 47))
    assert f"Key figures (as of {shown})" in done.stdout
    for label in ("Shortfall, next 12 months", "NK stock as of", "RU stock as of", "Months of fire from NK"):
        assert label in done.stdout


def test_a_bad_as_of_month_is_a_message() -> None:
    done = ammoflow("summary", "baseline", "--as-of", "2026-13")
    assert done.returncode == 1
    assert "--as-of" in done.stderr and "Traceback" not in done.stderr
