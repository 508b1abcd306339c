"""The analysis commands as a script uses them: sensitivity, seek, fit (run as subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ammoflow.scenarios.analysis.fit import fit
from ammoflow.scenarios.analysis.seek import goal_seek
from ammoflow.scenarios.analysis.sensitivity import tornado
from ammoflow.scenarios.files import presets


def ammoflow(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ammoflow", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_sensitivity_lists_parameters_by_effect() -> None:
    done = ammoflow("sensitivity", "baseline", "--figure", "total_shortfall", "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    swings = [bar["swing"] for bar in out["bars"]]
    assert swings == sorted(swings, reverse=True)
    expected = tornado(presets.load("baseline"), "total_shortfall")
    assert out["bars"][0]["parameter"] == expected.bars[0].key == "ru_fire_rate"
    table = ammoflow("sensitivity", "baseline", "--figure", "total_shortfall")
    assert table.returncode == 0 and "ru_fire_rate" in table.stdout and "█" in table.stdout


def test_seek_answers_and_says_when_it_cannot() -> None:
    found = ammoflow(
        "seek", "baseline", "--parameter", "ru_production", "--figure", "first_shortfall_month", "--target", "never",
        "--format", "json",
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    expected = goal_seek(presets.load("baseline"), "ru_production", "first_shortfall_month", "never")
    assert answer["found"] and answer["value"] == expected.value
    unreachable = ammoflow(
        "seek", "baseline", "--parameter", "containers_per_month", "--figure", "first_shortfall_month",
        "--target", "never",
    )  # fmt: skip
    assert unreachable.returncode == 3
    assert "cannot be reached" in unreachable.stdout


def test_fit_reports_values_and_saves_the_fitted_scenario(tmp_path: Path) -> None:
    done = ammoflow(
        "fit", "baseline", "--parameter", "containers_per_month", "--output", "fitted.toml", "--format", "json",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    expected = fit(presets.load("baseline"), ["containers_per_month"])
    assert out["fitted"]["containers_per_month"] == pytest.approx(expected.values["containers_per_month"])
    assert out["score"] <= out["score_before"]
    saved = (tmp_path / "fitted.toml").read_text()
    fitted = expected.values["containers_per_month"]
    assert fitted == round(fitted, -1)  # a point of the slider (steps of 10): no spurious precision
    assert f"containers_per_month = {fitted:_.0f}" in saved or f"containers_per_month = {fitted:.0f}" in saved


SEEK_SHORTFALL = ("seek", "baseline", "--parameter", "ru_fire_rate", "--figure", "total_shortfall", "--target")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sensitivity", "baseline", "--figure", "shortfall"), "unknown key figure"),
        (
            ("seek", "baseline", "--parameter", "ru_fire_rat", "--figure", "total_shortfall", "--target", "0"),
            "ru_fire_rate",
        ),
        (
            ("seek", "baseline", "--parameter", "ru_fire_rate", "--figure", "total_shortfall", "--target", "lots"),
            "lots",
        ),
        ((*SEEK_SHORTFALL, "1e999999999"), "must be a number"),
        ((*SEEK_SHORTFALL, "9e999999k"), "must be a number"),
        (
            ("fit", "baseline", "--parameter", "a", "--parameter", "b", "--parameter", "c", "--parameter", "d"),
            "1 to 3 parameters",
        ),
    ],
)
def test_bad_analysis_input_is_one_clear_message(args: tuple[str, ...], message: str) -> None:
    done = ammoflow(*args)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_seek_reads_a_target_written_as_its_help_says() -> None:
    written = ammoflow(
        "seek", "baseline", "--parameter", "containers_per_month", "--figure", "rounds_shipped", "--target", "2M",
        "--format", "json",
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    plain = ammoflow(
        "seek", "baseline", "--parameter", "containers_per_month", "--figure", "rounds_shipped", "--target", "2000000",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(written.stdout) == json.loads(plain.stdout)


def test_uncertainty_is_reproducible_from_the_seed() -> None:
    args = ("uncertainty", "baseline", "--runs", "2000", "--seed", "7", "--format", "json")
    first, again = ammoflow(*args), ammoflow(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    out = json.loads(first.stdout)
    assert out["runs"] == 2000
    assert 0 <= out["probability_before"]["first_shortfall_month"] <= 1
    p = out["percentiles"]["total_shortfall"]
    assert p["p5"] <= p["p50"] <= p["p95"]
    other = json.loads(ammoflow("uncertainty", "baseline", "--runs", "2000", "--seed", "8", "--format", "json").stdout)
    assert other["percentiles"] != out["percentiles"]


def test_sweep_writes_percentiles_or_every_run_and_never_overwrites(tmp_path: Path) -> None:
    import polars as pl

    done = ammoflow("sweep", "baseline", "--runs", "500", "--output", "bands.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bands = pl.read_csv(tmp_path / "bands.csv")
    assert bands.columns == ["month", "column", "p5", "p25", "p50", "p75", "p95"]
    assert (bands["p5"] <= bands["p95"]).all()
    runs = ammoflow("sweep", "baseline", "--runs", "500", "--all-runs", "--output", "runs.parquet", cwd=tmp_path)
    assert runs.returncode == 0, runs.stderr
    every = pl.read_parquet(tmp_path / "runs.parquet")
    assert every.height == 500 * 48 and every["run"].n_unique() == 500
    again = ammoflow("sweep", "baseline", "--runs", "500", "--output", "bands.csv", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr


def test_monte_carlo_settings_can_be_given_on_the_command_line() -> None:
    import attrs

    from ammoflow.scenarios.analysis.montecarlo import simulate
    from ammoflow.scenarios.model.scenario import Uncertainty

    done = ammoflow(
        "uncertainty", "baseline", "--runs", "800", "--distribution", "uniform", "--sampling", "latin-hypercube",
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    settings = Uncertainty(runs=800, distribution="uniform", sampling="latin-hypercube")
    expected = simulate(attrs.evolve(presets.load("baseline"), uncertainty=settings))
    out = json.loads(done.stdout)
    assert out["percentiles"]["rounds_shipped"]["p50"] == pytest.approx(
        expected.figure_percentiles("rounds_shipped")[50]
    )
    table = ammoflow("uncertainty", "baseline", "--runs", "300", "--sampling", "latin-hypercube")
    assert "(triangular, latin-hypercube, seed 0)" in table.stdout
    wrong = ammoflow("uncertainty", "baseline", "--distribution", "normal")
    assert wrong.returncode == 2 and "triangular" in wrong.stderr


def test_sweep_writes_only_the_columns_asked_for(tmp_path: Path) -> None:
    import polars as pl

    done = ammoflow("sweep", "baseline", "--runs", "300", "--columns", "ru_stock,nk_stock", "-o", "s.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bands = pl.read_csv(tmp_path / "s.csv")
    assert bands["column"].unique(maintain_order=True).to_list() == ["ru_stock", "nk_stock"]
    numbers = [cell for line in (tmp_path / "s.csv").read_text().splitlines()[1:] for cell in line.split(",")[2:]]
    assert all(len(cell.partition(".")[2]) <= 6 for cell in numbers)  # no floating-point dust
    wrong = ammoflow("sweep", "baseline", "--runs", "300", "--columns", "ru_stok", "-o", "t.csv", cwd=tmp_path)
    assert wrong.returncode == 1 and 'did you mean "ru_stock"' in wrong.stderr
    assert not (tmp_path / "t.csv").exists()


def test_uncertainty_reads_the_as_of_figures_at_the_month_asked_for() -> None:
    """--as-of as summary takes it: the percentiles of the "as of" figures are those of that month."""
    from ammoflow.scenarios.analysis.montecarlo import simulate
    from ammoflow.scenarios.model.months import parse_month

    found = {}
    for month in ("2024-03", "2026-12"):
        done = ammoflow("uncertainty", "baseline", "--runs", "300", "--as-of", month, "--format", "json")
        assert done.returncode == 0, done.stderr
        found[month] = json.loads(done.stdout)
        assert found[month]["as_of"] == month
        runs = simulate(presets.load("baseline"), 300, columns=(), as_of=parse_month(month))
        for key in ("shortfall_next_12_months", "nk_stock_as_of", "ru_stock_as_of", "nk_months_of_fire"):
            want = runs.figure_percentiles(key)
            got = found[month]["percentiles"][key]
            assert got == pytest.approx({f"p{q:g}": v for q, v in want.items()}, rel=1e-12), (month, key)
    early, late = (found[m]["percentiles"]["nk_stock_as_of"]["p50"] for m in ("2024-03", "2026-12"))
    assert early > late  # North Korea's stock falls as it ships
    table = ammoflow("uncertainty", "baseline", "--runs", "300", "--as-of", "2024-03")
    assert "Key figures across runs (as of 2024-03)" in table.stdout
    wrong = ammoflow("uncertainty", "baseline", "--runs", "300", "--as-of", "2024-3x")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("ammoflow: --as-of:")


def test_uncertainty_refuses_a_month_outside_the_projection() -> None:
    done = ammoflow("uncertainty", "baseline", "--runs", "100", "--before", "2040-01")
    assert done.returncode == 1
    assert "outside the projection" in done.stderr


# -- bounded memory at the largest sizes ------------------------------------------------------

# Runs the command in a fresh interpreter and reports that process's own peak resident memory
# (VmHWM: a new process's high-water mark, not inherited from pytest as ru_maxrss can be).
_PEAK = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(f"peak_kb={kb}", file=sys.stderr)
atexit.register(peak)
sys.argv = ["ammoflow", *sys.argv[1:]]
runpy.run_module("ammoflow", run_name="__main__")
"""
GIB = 2**30


def peak_bytes(*args: str, cwd: Path) -> int:
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True, cwd=cwd, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stderr.rpartition("peak_kb=")[2]) * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_uncertainty_at_the_largest_size_stays_under_a_gibibyte(tmp_path: Path) -> None:
    # 100,000 runs of 240 months, the most the program accepts (it peaked at 2.4 GB).
    assert peak_bytes("uncertainty", "baseline", "--runs", "100000", "--months", "240", cwd=tmp_path) < GIB


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_sweep_percentiles_of_every_column_hold_a_few_columns_at_a_time(tmp_path: Path) -> None:
    # Every column's runs at once would be 18 x 30,000 x 240 x 8 bytes, 1.04 GB.
    args = ("sweep", "baseline", "--runs", "30000", "--months", "240", "-o", "bands.csv")
    assert peak_bytes(*args, cwd=tmp_path) < GIB


@pytest.mark.parametrize("output_format", ["csv", "parquet"])
def test_sweep_all_runs_streamed_equals_every_run_held_at_once(tmp_path: Path, output_format: str) -> None:
    import attrs
    import polars as pl

    from ammoflow.scenarios.analysis.montecarlo import simulate
    from ammoflow.scenarios.model.scenario import Uncertainty
    from ammoflow.tui.cli.main import without_dust

    # 900 runs of 240 months: three pieces of whole runs, written one after the other.
    output = f"runs.{output_format}"
    args = ("sweep", "baseline", "--runs", "900", "--months", "240", "--seed", "3", "--all-runs")
    done = ammoflow(*args, "--columns", "ru_stock,ru_arrivals", "-o", output, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    scenario = attrs.evolve(
        presets.load("baseline").with_horizon(months=240), uncertainty=Uncertainty(runs=900, seed=3)
    )
    whole = simulate(scenario, columns=["ru_stock", "ru_arrivals"]).to_frame(all_runs=True)
    if output_format == "csv":
        assert (tmp_path / output).read_text() == without_dust(whole).write_csv()
    else:
        assert pl.read_parquet(tmp_path / output).equals(whole)
    assert [path.name for path in tmp_path.iterdir()] == [output]  # no temporary file left beside it


# -- given the observations ---------------------------------------------------------------


def test_uncertainty_given_the_observations_shows_the_chances_both_ways() -> None:
    from ammoflow.scenarios.analysis.conditioning import condition
    from ammoflow.scenarios.analysis.likelihood import Evidence
    from ammoflow.scenarios.analysis.montecarlo import simulate
    from ammoflow.scenarios.files.observation_csv import read_observations

    done = ammoflow("uncertainty", "baseline", "--runs", "1000", "--given", "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    scenario = presets.load("baseline")
    expected = condition(scenario, Evidence.prepare(scenario, read_observations()), 1000, columns=())
    given = out["given"]
    assert given["observations"] == "shipped" and given["used"] == len(expected.used) == 10
    assert given["ess"] == expected.ess and given["runs_drawn"] == expected.runs_drawn
    assert expected.enough and given["ess"] >= 1_000  # the pilot sized the first pass: enough runs
    assert given["enough"] is True and not given.get("warning")
    assert set(given["scales"]) == set(expected.scales)
    scale = given["scales"]["US State Department fact sheet"]
    assert scale["p5"] < scale["mean"] < scale["p95"]
    month = out["before"]
    assert out["probability_before"]["first_shortfall_month"] == expected.simulation.probability_before(
        "first_shortfall_month", month
    )
    everything = simulate(scenario, 1000, columns=())
    assert out["probability_before_all_assumptions"]["nk_reserve_month"] == everything.probability_before(
        "nk_reserve_month", month
    )
    table = ammoflow("uncertainty", "baseline", "--runs", "1000", "--given")
    assert table.returncode == 0, table.stderr
    text = " ".join(table.stdout.split())
    assert f"given 10 observations (ESS {expected.ess:,.0f} of {expected.runs_drawn:,} runs drawn)" in text
    assert "given the observations on all assumptions" in text  # the two columns of chances
    assert "US State Department fact sheet" in text and "the bands are rough" not in text


def test_given_reads_the_users_own_observations_file(tmp_path: Path) -> None:
    (tmp_path / "mine.csv").write_text(
        "date,metric,value,qualifier,claimant\n2024-06-30,cumulative_containers,10000,about,Someone\n"
    )
    done = ammoflow("uncertainty", "baseline", "--runs", "500", "--given", "mine.csv", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["given"]["observations"] == "mine.csv" and out["given"]["used"] == 1
    assert list(out["given"]["scales"]) == ["Someone"]
    (tmp_path / "bad.csv").write_text("date,metric,value,qualifier\n2024-06-30,cumulative_containers,10000,nearly\n")
    bad = ammoflow("uncertainty", "baseline", "--given", "bad.csv", cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "bad.csv:2" in bad.stderr and "nearly" in bad.stderr
    missing = ammoflow("sweep", "baseline", "--given", "nowhere.csv", "-o", "x.csv", cwd=tmp_path)
    assert missing.returncode == 1 and "nowhere.csv" in missing.stderr and "Traceback" not in missing.stderr


def test_sweep_given_the_observations_writes_the_conditioned_bands(tmp_path: Path) -> None:
    import polars as pl

    from ammoflow.scenarios.analysis.conditioning import condition
    from ammoflow.scenarios.analysis.likelihood import Evidence
    from ammoflow.scenarios.analysis.montecarlo import QUANTILES
    from ammoflow.scenarios.files.observation_csv import read_observations

    args = ("sweep", "baseline", "--runs", "1000", "--columns", "cumulative_containers")
    done = ammoflow(*args, "--given", "-o", "given.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "given 10 observations (ESS" in done.stderr and "the bands are rough" not in done.stderr  # enough runs drawn
    written = pl.read_csv(tmp_path / "given.csv")
    scenario = presets.load("baseline")
    expected = condition(
        scenario, Evidence.prepare(scenario, read_observations()), 1000, columns=["cumulative_containers"], qs=QUANTILES
    )
    assert written["p50"].to_list() == pytest.approx(
        expected.simulation.percentiles("cumulative_containers")[50].tolist(), abs=1e-6
    )
    everything = pl.read_csv(tmp_path / "given.csv")
    plain = ammoflow(*args, "-o", "plain.csv", cwd=tmp_path)
    assert plain.returncode == 0 and "given" not in plain.stderr
    assert pl.read_csv(tmp_path / "plain.csv")["p5"].to_list() != everything["p5"].to_list()
    runs = ammoflow(*args, "--given", "--all-runs", "-o", "runs.csv", cwd=tmp_path)
    assert runs.returncode == 0, runs.stderr
    every = pl.read_csv(tmp_path / "runs.csv")
    assert every.height == 1000 * 48
    by_month = every.group_by("month").agg(pl.col("cumulative_containers").median()).sort("month")
    assert by_month["cumulative_containers"].to_list() == pytest.approx(written["p50"].to_list(), abs=1e-6)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_uncertainty_given_the_observations_at_the_largest_size_stays_under_a_gibibyte(tmp_path: Path) -> None:
    args = ("uncertainty", "baseline", "--runs", "100000", "--months", "240", "--given")
    assert peak_bytes(*args, cwd=tmp_path) < GIB
