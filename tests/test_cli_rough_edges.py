"""Small mistakes at the command line: a suggestion, a refusal that names the problem, never a misleading file."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from test_cli import ammoflow, assert_user_error, invoke

from ammoflow.scenarios.model import registry


@pytest.mark.parametrize(("typed", "meant"), [("summry", "summary"), ("swep", "sweep"), ("Run", "run")])
def test_a_mistyped_command_gets_a_did_you_mean(typed: str, meant: str) -> None:
    done = ammoflow(typed, "baseline")
    assert done.returncode == 1
    assert_user_error(done.stderr, f'no command "{typed}"', f'did you mean "{meant}"?')
    assert "open" not in done.stderr  # not the usage of the hidden command that opens the explorer


def test_an_unknown_word_followed_by_more_lists_the_commands() -> None:
    done = ammoflow("frobnicate", "baseline")
    assert done.returncode == 1
    assert_user_error(done.stderr, 'no command "frobnicate"', "summary", "sweep")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("run", "baseline", "--set", "RU_FIRE_RATE=30000"), 'did you mean "ru_fire_rate"?'),
        (("run", "baseline", "--columns", "month,NK_STOCK"), 'did you mean "nk_stock"?'),
        (("run", "baseline", "--columns", "bogus"), "choose from month, days,"),
        (
            ("seek", "baseline", "--parameter", "ru_fire_rat", "--figure", "food_tonnes", "--target", "1"),
            "ru_fire_rate",
        ),
    ],
)
def test_unknown_names_get_a_suggestion(args: tuple[str, ...], words: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert_user_error(result.stderr, words)


def test_a_parameter_set_twice_is_refused_by_name() -> None:
    result = invoke("run", "baseline", "--set", "ru_fire_rate=20000", "--set", "ru_fire_rate=30000")
    assert result.exit_code == 1
    assert_user_error(result.stderr, "--set ru_fire_rate is given twice")
    assert result.stdout == ""


def test_a_percentage_typed_as_a_fraction_is_pointed_out() -> None:
    result = invoke("run", "baseline", "--set", "nk_utilisation_russia=0.5", "--format", "csv", "--months", "1")
    assert result.exit_code == 0
    assert "is read as 0.5 %" in result.stderr and "write 50" in result.stderr
    quiet = invoke("run", "baseline", "--set", "nk_utilisation_russia=50%", "--format", "csv", "--months", "1")
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize("command", [("run", "baseline"), ("sweep", "baseline", "--runs", "20")])
@pytest.mark.parametrize("name", ["out.xlsx", "out", "out.tsv"])
def test_an_output_ending_no_format_has_is_refused(tmp_path: Path, command: tuple[str, ...], name: str) -> None:
    done = ammoflow(*command, "--months", "3", "--output", name, cwd=tmp_path)
    assert done.returncode == 1
    assert_user_error(done.stderr, "--output", ".csv", ".parquet")
    assert list(tmp_path.iterdir()) == []  # nothing written under a name that would mislead


def test_an_ending_that_contradicts_the_format_is_refused(tmp_path: Path) -> None:
    done = ammoflow("run", "baseline", "--format", "csv", "--output", "out.parquet", cwd=tmp_path)
    assert done.returncode == 1
    assert_user_error(done.stderr, "out.parquet", "--format is csv")
    assert list(tmp_path.iterdir()) == []


def test_run_writes_real_parquet_as_sweep_does(tmp_path: Path) -> None:
    done = ammoflow("run", "baseline", "--months", "4", "--output", "out.parquet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame.height == 4 and frame.columns[0] == "month"
    csv = invoke("run", "baseline", "--months", "4", "--format", "csv", "--columns", "month,nk_stock")
    assert frame["nk_stock"][0] == pytest.approx(float(csv.stdout.splitlines()[1].split(",")[1]))


def test_seek_json_writes_months_as_months() -> None:
    result = invoke(
        "seek", "baseline", "--parameter", "ru_fire_rate", "--figure", "first_shortfall_month",
        "--target", "2027-03", "--format", "json",
    )  # fmt: skip
    out = json.loads(result.stdout)
    assert out["target"] == "2027-03" and out["achieved"] == "2027-03"
    low, high = out["figure_range"]
    assert isinstance(low, str) and len(low) == 7 and low[4] == "-"
    assert high is None or (isinstance(high, str) and high > low)


def test_a_share_target_reads_a_plain_number_as_percent_as_set_does() -> None:
    seek = ("seek", "baseline", "--parameter", "ru_production", "--figure", "nk_share_of_supply")
    plain_number, with_sign = invoke(*seek, "--target", "40"), invoke(*seek, "--target", "40%")
    assert plain_number.exit_code == 0 and plain_number.stdout == with_sign.stdout
    assert "reaches 40.0%" in plain_number.stdout
    fraction = invoke(*seek, "--target", "0.4")
    assert "--target 0.4 is read as 0.4%" in fraction.stderr and "write 40" in fraction.stderr


@pytest.mark.parametrize("figure", ["total_shortfall", "first_shortfall_month", "nk_share_of_supply"])
def test_sensitivity_rows_fit_80_columns_one_line_each(figure: str) -> None:
    done = ammoflow("sensitivity", "baseline", "--figure", figure)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.rstrip("\n").splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    rows = lines[2:]
    assert len(rows) == len(registry.PARAMETERS)  # one line per parameter, none wrapped
    assert all(row.split()[0] in registry.BY_KEY for row in rows)


def test_sweep_percentiles_leave_out_the_calendar(tmp_path: Path) -> None:
    result = invoke("sweep", "baseline", "--runs", "30", "--months", "2", "--output", "-")
    assert result.exit_code == 0, result.stderr
    named = {line.split(",")[1] for line in result.stdout.splitlines()[1:]}
    assert "days" not in named and "nk_stock" in named
    asked = invoke("sweep", "baseline", "--runs", "30", "--columns", "days,nk_stock", "--output", "-")
    assert asked.exit_code == 1
    assert_user_error(asked.stderr, "days is the same in every run", "--all-runs")
    every = invoke("sweep", "baseline", "--runs", "3", "--months", "1", "--all-runs", "--columns", "days", "-o", "-")
    assert every.exit_code == 0 and every.stdout.splitlines()[0] == "run,month,days"


def test_summary_on_another_window_says_the_description_was_written_for_its_own() -> None:
    moved = ammoflow("summary", "baseline", "--start", "1999-01")
    assert moved.returncode == 0, moved.stderr
    assert "(described for 2023-09 to 2027-08; these figures are for 1999-01 to 2002-12)" in moved.stdout
    assert "described for" not in ammoflow("summary", "baseline").stdout


def test_a_difference_of_one_month_is_one_month(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text('name = "One"\n\n[parameters]\nnk_stock_initial = 5_800_000\n')
    done = ammoflow("diff", "baseline", "one.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reserve = next(line for line in done.stdout.splitlines() if line.startswith("NK stock at reserve"))
    assert reserve.rstrip().endswith("-1 month")
    assert "1 months" not in done.stdout


def test_a_sweep_of_one_run_says_one_run() -> None:
    result = invoke("uncertainty", "baseline", "--runs", "1", "--months", "2")
    assert result.exit_code == 0, result.stderr
    assert ": 1 run (" in result.stdout and "1 runs" not in result.stdout


def test_params_shows_every_source_within_80_columns() -> None:
    table = ammoflow("params")
    assert "ammoflow params --sources" in table.stdout  # the table says where its sources are
    done = ammoflow("params", "--sources")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    text = " ".join(" ".join(line.split()) for line in lines)
    for parameter in registry.PARAMETERS:
        assert parameter.key in text
        assert " ".join(parameter.source.split()) in text  # in full, only wrapped
