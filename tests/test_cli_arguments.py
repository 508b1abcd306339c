"""Hostile or mistaken arguments: one clear line and a non-zero status, never a traceback or an empty file."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import ammoflow, assert_user_error, invoke

LONG_NAME = "a" * 300 + ".csv"  # over the 255 bytes a Linux file name may have


@pytest.mark.parametrize(
    "args",
    [
        ("run", "baseline", "--output", LONG_NAME),
        ("run", "baseline", "--output", LONG_NAME, "--force"),
        ("run", "baseline", "--output", f"{LONG_NAME}/inside.csv"),
        ("sweep", "baseline", "--runs", "10", "--output", LONG_NAME),
        ("fit", "baseline", "--parameter", "containers_per_month", "--output", LONG_NAME),
    ],
    ids=["run", "run --force", "in a folder", "sweep", "fit"],
)
def test_an_output_name_too_long_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = ammoflow(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert_user_error(done.stderr, "--output", "File name too long", " characters)")
    assert len(done.stderr.splitlines()) == 1
    assert len(done.stderr) < 200  # the name is cut short, not printed whole
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("run", "baseline", "--columns", "month,month"), '"month" is named twice'),
        (("run", "baseline", "--columns", "month, ru_stock ,month", "--format", "csv"), '"month" is named twice'),
        (("run", "baseline", "--columns", ",,,"), "name at least one column"),
        (("run", "baseline", "--columns", ""), "name at least one column"),
        (("sweep", "baseline", "--runs", "10", "--columns", ",", "--output", "out.csv"), "name at least one column"),
        (("sweep", "baseline", "--runs", "10", "--columns", "ru_stock,ru_stock", "-o", "out.csv"), "named twice"),
    ],
)
def test_columns_named_twice_or_not_at_all_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert_user_error(result.stderr, "--columns", words)
    assert list(tmp_path.iterdir()) == []  # no empty file left behind


def test_columns_with_commas_to_spare_still_work() -> None:
    result = invoke("run", "baseline", "--columns", "month,,ru_stock,", "--format", "csv", "--months", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "month,ru_stock"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("uncertainty", "baseline", "--runs", "1e999999999"), '"1e999999999" is too large a number'),
        (("uncertainty", "baseline", "--runs", "9" * 5000), "(5,000 characters)"),
        (("uncertainty", "baseline", "--seed", "1e999999999k"), "too large"),
        (("uncertainty", "baseline", "--seed", "9223372036854775808"), "from 0 to 9,223,372,036,854,775,807"),
        (("uncertainty", "baseline", "--runs", "inf"), '"inf" is not a number'),
        (("sweep", "baseline", "--runs", "nan", "-o", "x.csv"), '"nan" is not a number'),
        (("run", "baseline", "--months", "1e1000000"), "too large"),
        (("run", "baseline", "--months", "10" * 300), "too large"),
        (("run", "baseline", "--months", "1.5"), "whole number from 1 to 240"),
    ],
)
def test_a_hostile_count_is_a_short_usage_error(args: tuple[str, ...], words: str) -> None:
    done = ammoflow(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert len(errors[0]) < 200


def test_counts_are_typed_as_values_are() -> None:
    result = invoke("uncertainty", "baseline", "--runs", "1.5k", "--seed", "1,234", "--months", "6", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"runs": 1500' in result.stdout and '"seed": 1234' in result.stdout


@pytest.mark.parametrize(
    ("figure", "target", "shown"),
    [
        ("total_shortfall", "1e308", "1e+308 rounds cannot be reached"),
        ("total_shortfall", "-" + "9" * 300, "-1e+300 rounds cannot be reached"),
        ("nk_share_of_supply", "1e300%", "1e+300% cannot be reached"),
    ],
)
def test_a_huge_target_is_quoted_in_a_short_line(figure: str, target: str, shown: str) -> None:
    result = invoke("seek", "baseline", "--parameter", "ru_production", "--figure", figure, f"--target={target}")
    assert result.exit_code == 3, result.output
    assert result.stdout.strip().endswith(shown)
    assert len(result.stdout.splitlines()) == 1 and len(result.stdout) < 200


def test_a_scenario_name_too_long_for_the_system_is_one_line(tmp_path: Path) -> None:
    done = ammoflow("run", "b" * 300 + ".toml", cwd=tmp_path)
    assert done.returncode == 1
    assert_user_error(done.stderr, "File name too long", "(305 characters)")
    assert len(done.stderr.splitlines()) == 1
