"""`ammoflow backtest` as a script uses it (run as subprocesses)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

COLUMNS = "date,metric,qualifier,observed,p5,p25,p50,p75,p95,percentile,in_50,in_90"
LATER = ["2024-06-14", "2024-07-15", "2024-08-27"]  # the shipped observations after 2024-02


def ammoflow(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ammoflow", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_the_shipped_observations_after_february_2024_are_scored_with_their_coverage() -> None:
    done = ammoflow("backtest", "baseline", "--until", "2024-02")
    assert done.returncode == 0, done.stderr
    assert "forecast at the end of 2024-02 from 7 observations" in done.stdout
    for day in LATER:
        assert day in done.stdout
    assert "2024-02-29" not in done.stdout  # known at the cut, not scored
    assert "coverage: 50% band " in done.stdout and " of 3, 90% band " in done.stdout
    assert "Brier score" in done.stdout and "interval score (90%)" in done.stdout


def test_csv_has_one_row_per_later_observation_with_exactly_the_documented_columns() -> None:
    done = ammoflow("backtest", "baseline", "--until", "2024-02", "--runs", "2000", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == COLUMNS
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["date"] for row in rows] == LATER
    assert [row["qualifier"] for row in rows] == ["at least", "about", "more than"]
    for row in rows:
        quantiles = [float(row[q]) for q in ("p5", "p25", "p50", "p75", "p95")]
        assert quantiles == sorted(quantiles)
        assert 0 <= float(row["percentile"]) <= 100
        assert row["in_50"] in ("true", "false") and row["in_90"] in ("true", "false")
        if row["in_50"] == "true":
            assert row["in_90"] == "true"  # the 50% band lies inside the 90% band
    lower = rows[2]  # "more than 13,000": in the 90% band exactly when its top reaches 13,000
    assert (lower["in_90"] == "true") == (float(lower["p95"]) >= 13_000)


def test_json_carries_the_rows_coverage_and_scores_and_the_same_seed_gives_the_same_answer() -> None:
    first = ammoflow("backtest", "baseline", "--until", "2024-02", "--runs", "2000", "--format", "json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["until"] == "2024-02" and out["known"] == 7 and out["runs"] == 2000
    assert [row["date"] for row in out["scored"]] == LATER
    assert set(out["scored"][0]) >= set(COLUMNS.split(","))
    covered = sum(row["in_90"] for row in out["scored"])
    assert out["coverage"]["90"] == {"in": covered, "of": 3}
    assert out["scores"]["brier"]["observations"] == 2 and out["scores"]["interval_score"]["observations"] == 1
    again = ammoflow("backtest", "baseline", "--until", "2024-02", "--runs", "2000", "--format", "json")
    assert json.loads(again.stdout) == out
    # A forecast resting on few effective runs says so, also beside a CSV that has no room for it.
    rows = ammoflow("backtest", "baseline", "--until", "2024-02", "--runs", "2000", "--format", "csv")
    assert ("effective runs; the bands are rough" in rows.stderr) == (not out["enough"])
    assert out["enough"] == (out["ess"] >= 1_000)


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("2023-09", "--until 2023-09: nothing is known by the end of 2023-09: the first observation within the "
         "projection is dated 2023-10-13; cut at 2023-10 or later"),
        ("2024-08", "--until 2024-08: no observation after 2024-08 to score"),
        ("2031-01", "--until 2031-01: the cut 2031-01 is outside the projection; cut in a month from 2023-09 "
         "to 2027-08"),
        ("2024-13", "the month must be 01 to 12"),
    ],
)  # fmt: skip
def test_a_cut_that_cannot_be_backtested_says_why_without_a_traceback(until: str, message: str) -> None:
    done = ammoflow("backtest", "baseline", "--until", until)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_users_observations_file_is_read_and_its_problems_reported_by_line(tmp_path: Path) -> None:
    own = tmp_path / "seen.csv"
    own.write_text(
        "date,metric,value,qualifier,claimant\n"
        "2023-12-15,cumulative_containers,3000,about,A\n"
        "2024-05-15,cumulative_containers,9000,between,A\n",
        encoding="utf-8",
    )
    bad = ammoflow("backtest", "baseline", "--until", "2024-01", "--observations", str(own))
    assert bad.returncode == 1 and f"{own}:3:" in bad.stderr and "Traceback" not in bad.stderr
    own.write_text(
        "date,metric,value,qualifier,claimant,high\n"
        "2023-12-15,cumulative_containers,3000,about,A,\n"
        "2024-05-15,cumulative_containers,7000,between,A,12000\n",
        encoding="utf-8",
    )
    done = ammoflow("backtest", "baseline", "--until", "2024-01", "--observations", str(own), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["known"] == 1 and [row["qualifier"] for row in out["scored"]] == ["between"]
    assert out["scored"][0]["high"] == 12000
