"""The README's promises: its example file is valid, its parameter table is the registry's."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.analysis.conditioning import condition
from ammoflow.scenarios.analysis.likelihood import Evidence
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.files.scenario_toml import parse_scenario
from ammoflow.scenarios.model.months import format_month
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.cli.params_doc import parameters_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_example_scenario_file_is_valid() -> None:
    text = README.read_text(encoding="utf-8")
    examples = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    scenario_files = [example for example in examples if "[parameters]" in example]
    assert scenario_files, "the README shows a scenario file"
    scenario = parse_scenario(scenario_files[0], "README example")
    assert scenario.values["ru_fire_rate"] == 30_000
    assert [(c.month, c.parameter, c.value, c.over) for c in scenario.changes] == [
        ("2025-01", "containers_per_month", 550, 0),
        ("2025-06", "ru_production", 400_000, 3),
    ]
    assert scenario.uncertainty.ranges["ru_fire_rate"] == (10_000, 45_000)
    assert "Free text" in scenario.notes


def test_the_parameter_table_matches_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- parameters:start -->") + len("<!-- parameters:start -->\n")
    end = text.index("<!-- parameters:end -->")
    assert text[start:end] == parameters_markdown()


def test_the_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(commands) == 2 and all(len(c.strip().splitlines()) == 1 for c in commands)
    assert "ammoflow" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    test_command = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[1].strip()
    assert test_command in (README.parent / ".ci" / "run").read_text(encoding="utf-8")


def test_every_picture_the_readme_shows_exists_and_the_bands_picture_is_the_current_screen() -> None:
    text = README.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert "docs/uncertainty.svg" in pictures
    for picture in pictures:
        assert (README.parent / picture).is_file(), picture
    # The bands picture is a copy of the app's snapshot: refresh it when the snapshot changes.
    snapshot = README.parent / "tests/tui/__snapshots__/test_snapshots/test_uncertainty_bands_on_the_stocks_chart.svg"
    assert (README.parent / "docs/uncertainty.svg").read_bytes() == snapshot.read_bytes()
    # So is the posterior predictive check: the bands given the observations, with them over the bands.
    given = snapshot.with_name("test_bands_given_the_observations_on_the_shipped_chart.svg")
    assert (README.parent / "docs/given.svg").read_bytes() == given.read_bytes()
    # And the comparison of three runs.
    runs = README.parent / "tests/tui/__snapshots__/test_snapshots_runs/test_three_runs_compared[120x40-stocks].svg"
    assert (README.parent / "docs/compare.svg").read_bytes() == runs.read_bytes()
    cursor = README.parent / "tests/tui/__snapshots__/test_snapshots_views"
    cursor = cursor / "test_the_cursor_reads_the_stocks_against_a_pinned_baseline[120x40].svg"
    assert (README.parent / "docs/cursor.svg").read_bytes() == cursor.read_bytes()
    # And the first picture, the explorer with a slider moved against the pinned baseline.
    first = snapshot.with_name("test_a_pinned_baseline_against_a_moved_slider[120x40].svg")
    assert (README.parent / "docs/screenshot.svg").read_bytes() == first.read_bytes()


def test_the_chances_quoted_for_the_given_command_are_what_it_prints() -> None:
    """The README quotes `uncertainty baseline --runs 10000 --given`: the quote is the program's output."""
    text = README.read_text(encoding="utf-8")
    assert "ammoflow uncertainty baseline --runs 10000 --given" in text
    quoted = re.search(r"Russian\s+shortfall begins: (\d+)% given the observations, (\d+)% on all assumptions", text)
    assert quoted, "the README quotes the chances both ways"
    scenario = attrs.evolve(baseline(), uncertainty=attrs.evolve(baseline().uncertainty, runs=10_000))
    given = condition(scenario, Evidence.prepare(scenario, read_observations()), 10_000, columns=())
    plain = montecarlo.simulate(scenario, columns=())
    month = format_month(scenario.start_index + scenario.months)  # the command's default: the end of the horizon
    shown = (
        round(100 * given.simulation.probability_before("first_shortfall_month", month)),
        round(100 * plain.probability_before("first_shortfall_month", month)),
    )
    assert shown == (int(quoted.group(1)), int(quoted.group(2)))
