"""Files that are not what they claim to be: pipes, devices, huge numbers, odd months, odd bytes.

Each gets one line naming the file (and its line where there is one) and exit status 1; none
gets a traceback, a hang or a read that never ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.errors import ScenarioError
from scenarios.files import read_scenario
from scenarios.observations import read_observations

HEADER = "date,metric,value,qualifier,claimant,reported_by,note\n"
# A guard so that a regression shows as a failure rather than a suite that never ends; the
# assertions are about what the program says, never about how long it took.
NO_HANG = 120


def ammoflow(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=NO_HANG,
        env={**os.environ, **(env or {})},
    )


def one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    """What the command said (``validate`` lists problems on stdout, others on stderr)."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout + result.stderr


# -- only regular files are read, and never more than the limit ------------------------------------


def test_a_fifo_as_a_scenario_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    err = one_clean_line(ammoflow("validate", str(fifo)))
    assert f"{fifo}: is a FIFO (named pipe), not a scenario file; give the path of a regular file" in err


def test_a_fifo_as_observations_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    err = one_clean_line(ammoflow("summary", "baseline", "--observations", str(fifo)))
    assert f"{fifo}: is a FIFO (named pipe), not an observations CSV; give the path of a regular file" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_never_read() -> None:
    with pytest.raises(ScenarioError) as scenario:
        read_scenario("/dev/zero")
    assert scenario.value.lines() == [
        "/dev/zero: is a character device, not a scenario file; give the path of a regular file"
    ]
    with pytest.raises(ScenarioError) as observations:
        read_observations("/dev/zero")
    assert observations.value.lines() == [
        "/dev/zero: is a character device, not an observations CSV; give the path of a regular file"
    ]


# -- observations: counts are finite and not negative ----------------------------------------------


def test_observed_counts_that_are_not_counts_are_refused_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        HEADER + "2024-01-01,cumulative_rounds,nan,,,,\n"
        "2024-01-01,cumulative_rounds,inf,,,,\n"
        "2024-01-01,cumulative_rounds,-5,,,,\n"
        "2024-01-01,cumulative_rounds,1e999,,,,\n"
        "2024-01-01,cumulative_rounds,١٢٣,,,,\n"
        "٢٠٢٤-01-01,cumulative_rounds,5,,,,\n"
        "2024-01-01,cumulative_rounds,5,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f'{path}:2: value "nan" is not a number',
        f'{path}:3: value "inf" is not a number',
        f'{path}:4: value "-5" is negative; a cumulative count is 0 or more',
        f'{path}:5: value "1e999" is too large a number',
        f'{path}:6: value "١٢٣" is not a number',
        f'{path}:7: date "٢٠٢٤-01-01" is not a date (YYYY-MM-DD)',
    ]


def test_a_field_too_long_for_csv_is_one_line_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    row = "2024-01-01,cumulative_rounds,5,,,,"
    path.write_text(HEADER + row + "\n" + row + "x" * 200_000)
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f"{path}:3: a field is longer than 131,072 characters; is this an observations CSV?"
    ]


def test_nan_in_observations_never_reaches_json(tmp_path: Path) -> None:
    path = tmp_path / "nan.csv"
    path.write_text(HEADER + "2024-01-01,cumulative_rounds,NaN,,,,\n", encoding="utf-8")
    result = ammoflow("summary", "baseline", "--observations", str(path), "--format", "json")
    one_clean_line(result)
    assert result.stdout == ""
    assert result.stderr.strip() == f'ammoflow: {path}:2: value "NaN" is not a number'
