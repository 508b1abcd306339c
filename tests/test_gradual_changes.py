"""Changes phased in over months (docs/model.md, Gradual changes): the path, both engines, the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import assert_matches_reference, assert_runs_equal_projections

from ammoflow.scenarios.files.scenario_toml import parse_scenario, scenario_text
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline


def reference_path(start_value: float, changes: list[tuple[int, float, int]], months: int) -> list[float]:
    """The definition read literally, one month at a time.

    A change from month t0 over N months: month t0 + k is before + (value - before) * (k + 1) / (N + 1)
    for k < N and the value itself from t0 + N on, ``before`` being what was in force in month t0 - 1.
    """
    starts = {offset: (value, over) for offset, value, over in changes}
    path: list[float] = []
    current = start_value
    active: tuple[float, float, int, int] | None = None  # before, value, over, first month
    for t in range(months):
        if t in starts:
            value, over = starts[t]
            active = (current, value, over, t)
        if active is not None:
            before, value, over, t0 = active
            k = t - t0
            current = value if k >= over else before + (value - before) * (k + 1) / (over + 1)
        path.append(current)
    return path


def test_a_change_over_three_months_has_three_months_between_old_and_new() -> None:
    scenario = (
        baseline().with_value("ru_fire_rate", 20_000).with_changes([Change("2024-06", "ru_fire_rate", 30_000, 3)])
    )
    by_month = dict(zip(scenario.month_labels(), scenario.series("ru_fire_rate"), strict=True))
    assert [by_month[m] for m in ("2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10")] == [
        20_000,
        22_500,
        25_000,
        27_500,
        30_000,
        30_000,
    ]


def test_over_zero_is_the_step_it_always_was() -> None:
    step = baseline().with_changes([Change("2024-06", "ru_fire_rate", 30_000)])
    explicit = baseline().with_changes([Change("2024-06", "ru_fire_rate", 30_000, 0)])
    assert step == explicit
    assert step.series("ru_fire_rate")[step.month_labels().index("2024-06")] == 30_000


def test_a_later_change_takes_over_from_where_a_phase_in_had_got_to() -> None:
    scenario = (
        baseline()
        .with_value("containers_per_month", 1_000)
        .with_changes(
            [Change("2024-01", "containers_per_month", 2_000, 9), Change("2024-03", "containers_per_month", 0)]
        )
    )
    by_month = dict(zip(scenario.month_labels(), scenario.series("containers_per_month"), strict=True))
    assert by_month["2024-02"] == pytest.approx(1_200)
    assert by_month["2024-03"] == 0
    assert by_month["2024-10"] == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_path_follows_the_definition(data: st.DataObject) -> None:
    months = data.draw(st.integers(1, 60))
    start = data.draw(st.floats(0, 10_000))
    offsets = data.draw(st.lists(st.integers(0, months - 1), unique=True, max_size=4))
    changes = [(t, data.draw(st.floats(0, 10_000)), data.draw(st.integers(0, 80))) for t in offsets]
    first = parse_month("2024-01")
    scenario = Scenario(
        start="2024-01",
        months=months,
        values={"ru_production": start},
        changes=[Change(format_month(first + t), "ru_production", value, over) for t, value, over in changes],
    )
    assert scenario.series("ru_production") == pytest.approx(reference_path(start, changes, months), abs=1e-9)


def test_the_batch_engine_phases_in_from_each_runs_own_starting_value() -> None:
    scenario = baseline().with_changes(
        [
            Change("2024-01", "nk_reserve", 4_000_000, 6),
            Change("2024-03", "containers_per_month", 300, 12),
            Change("2025-01", "ru_fire_rate", 60_000, 5),
        ]
    )
    values = {
        "nk_reserve": [0.0, 1_000_000, 5_000_000],
        "containers_per_month": [200.0, 1_500, 3_000],
        "ru_fire_rate": [5_000.0, 20_000, 70_000],
    }
    assert_runs_equal_projections(scenario, values, 3)


@pytest.mark.parametrize(
    "changes",
    [
        [Change("2024-01", "nk_reserve", 20_000_000, 12)],  # rises faster than production: month by month
        [Change("2024-01", "nk_reserve", 3_000_000, 24)],  # rises slower: one closed form
        [Change("2023-09", "nk_reserve", 8_000_000), Change("2024-06", "nk_reserve", 0, 18)],  # falls
        [Change("2024-01", "nk_reserve", 9_000_000, 6), Change("2024-03", "nk_utilisation_russia", 0, 3)],
    ],
)
def test_a_reserve_phased_in_follows_the_model_month_by_month(changes: list[Change]) -> None:
    assert_matches_reference(baseline().with_changes(changes))


FILE = """\
name = "Phased"
start = "2024-01"
months = 24

[[changes]]
from = "2024-06"  # the new plant comes on stream
parameter = "ru_production"
value = 400_000
over = {over}
"""


def test_over_is_read_written_and_keeps_the_files_comments() -> None:
    text = FILE.format(over=6)
    scenario = parse_scenario(text)
    assert scenario.changes == (Change("2024-06", "ru_production", 400_000, 6),)
    longer = scenario.with_changes([Change("2024-06", "ru_production", 400_000, 12)])
    saved = scenario_text(longer, text)
    assert "# the new plant comes on stream" in saved
    assert "over = 12" in saved
    assert parse_scenario(saved) == longer
    as_step = scenario_text(scenario.with_changes([Change("2024-06", "ru_production", 400_000)]), text)
    assert "over" not in as_step
    assert "# the new plant comes on stream" in as_step


def test_a_new_file_writes_over_only_for_a_phase_in() -> None:
    scenario = baseline().with_changes(
        [Change("2024-06", "ru_production", 400_000, 4), Change("2025-01", "ru_fire_rate", 1)]
    )
    text = scenario_text(scenario)
    assert text.count("over = ") == 1
    assert parse_scenario(text) == scenario


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ("-1", "x.toml:9: change 1: over = -1 is outside its range 0 to 240 months (0 is a step)"),
        ("1_000_000", "x.toml:9: change 1: over = 1000000 is outside its range 0 to 240 months (0 is a step)"),
        ("2.5", "x.toml:9: change 1: over must be a whole number of months, not 2.5"),
        ('"six"', "x.toml:9: change 1: over must be a whole number of months, not text 'six'"),
    ],
)
def test_a_bad_over_is_refused_at_its_line(over: str, message: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario(FILE.format(over=over), "x.toml")
    assert excinfo.value.lines() == [message]


def test_a_whole_number_parameter_cannot_phase_in() -> None:
    text = FILE.format(over=3).replace('"ru_production"', '"transit_months"').replace("400_000", "3")
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario(text, "x.toml")
    assert excinfo.value.lines() == [
        "x.toml:9: change 1: transit_months is a whole number: it changes in a step (over = 0)"
    ]


def test_a_window_starting_mid_phase_in_goes_on_along_the_same_line() -> None:
    scenario = baseline().with_changes([Change("2024-01", "ru_fire_rate", 40_000, 5)])
    window = scenario.with_horizon("2024-03", 12)
    whole = dict(zip(scenario.month_labels(), scenario.series("ru_fire_rate"), strict=True))
    assert window.series("ru_fire_rate") == pytest.approx([whole[m] for m in window.month_labels()])
    assert window.changes == (Change("2024-04", "ru_fire_rate", 40_000, 2),)


def test_diff_says_over_how_many_months_a_change_phases_in(tmp_path: Path) -> None:
    (tmp_path / "step.toml").write_text(FILE.format(over=0))
    (tmp_path / "phased.toml").write_text(FILE.format(over=6))
    result = subprocess.run(
        [sys.executable, "-m", "ammoflow", "diff", "step.toml", "phased.toml", "--format", "json"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [c["over"] for c in changes["first"]] == [0]
    assert [c["over"] for c in changes["second"]] == [6]
