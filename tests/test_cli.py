"""The headless `ammoflow` commands, as a user runs them.

A few representative calls run the real program in a subprocess (exit codes, stderr, no
traceback, no Textual); the many inputs that share one behaviour go through click's
CliRunner in-process, which is ten times faster.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.cli.main import main

REPO = Path(__file__).resolve().parent.parent
PRESETS = ["baseline", "nk-cutback-2025", "seed-article", "us-state-dept"]
# docs/model.md, "Output columns": the public contract of csv and json output, in order.
CONTRACT_COLUMNS = [
    "month",
    "days",
    "nk_production_russia",
    "nk_production_other",
    "rounds_shipped",
    "containers_shipped",
    "shells_152_shipped",
    "rockets_122_shipped",
    "cumulative_containers",
    "cumulative_rounds",
    "nk_stock",
    "ru_arrivals",
    "ru_supply",
    "ru_demand",
    "ru_fired",
    "ru_shortfall",
    "ru_stock",
    "return_containers",
    "food_tonnes",
]
GOOD_FILE = 'name = "Mine"\nmonths = 12\n\n[parameters]\nru_fire_rate = 30_000\n'
BAD_FILE = 'name = "Broken"\nmonths = 0\n\n[parameters]\nru_fire_rte = 30_000\n'


def ammoflow(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real program, as a user's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ammoflow", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        timeout=60,
    )


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_user_error(stderr: str, *words: str) -> None:
    """One or more `ammoflow: ...` lines that say what is wrong, and no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert lines, "an error must say something"
    assert all(line.startswith("ammoflow: ") for line in lines), stderr
    for word in words:
        assert word in stderr, f"{word!r} not in {stderr!r}"


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- run ---------------------------------------------------------------------------------------


def test_run_csv_prints_the_contract_columns_and_the_engine_numbers() -> None:
    result = ammoflow("run", "baseline", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    header, *lines = result.stdout.splitlines()
    assert header.split(",") == CONTRACT_COLUMNS
    assert len(lines) == 48
    rows = csv_rows(result.stdout)
    expected = project(baseline()).to_dicts()
    assert [row["month"] for row in rows] == [row["month"] for row in expected]
    for got, want in zip(rows, expected, strict=True):
        for name in CONTRACT_COLUMNS[1:]:
            # The csv rounds to six decimals.
            assert math.isclose(float(got[name]), want[name], rel_tol=1e-12, abs_tol=1e-6), (got["month"], name)
    assert rows[0]["rounds_shipped"] == "410740.0"  # no floating-point dust in the output


def test_run_json_is_a_list_of_48_month_objects() -> None:
    result = ammoflow("run", "baseline", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 48
    assert all(list(row) == CONTRACT_COLUMNS for row in rows)
    assert rows[0]["month"] == "2023-09" and rows[0]["ru_stock"] == 3_650_000


def test_run_table_shows_the_months() -> None:
    result = ammoflow("run", "baseline")
    assert result.returncode == 0, result.stderr
    assert "Baseline: 2023-09 to 2027-08" in result.stdout
    months = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("20")]
    assert months[0] == "2023-09" and months[-1] == "2027-08" and len(months) == 48
    assert "\x1b[" not in result.stdout  # no colour codes when stdout is not a terminal


def test_set_changes_the_projection() -> None:
    plain = csv_rows(invoke("run", "baseline", "--format", "csv").stdout)
    harder = csv_rows(invoke("run", "baseline", "--format", "csv", "--set", "ru_fire_rate=30k").stdout)
    assert float(harder[0]["ru_demand"]) == 30_000 * 30
    assert float(plain[0]["ru_demand"]) == 20_000 * 30
    assert [row["rounds_shipped"] for row in harder] == [row["rounds_shipped"] for row in plain]


def test_several_sets_and_the_forms_people_type() -> None:
    result = invoke(
        "run", "baseline", "--format", "json", "--months", "1",
        "--set", "containers_per_month=1,000", "--set", "share_122_containers=0%", "--set", "nk_stock_initial=2M",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["containers_shipped"] == 1_000
    assert row["rounds_shipped"] == 448_000
    assert row["nk_stock"] == 2_000_000 + 150_000 - 448_000


def test_start_and_months_choose_the_rows() -> None:
    rows = csv_rows(invoke("run", "baseline", "--format", "csv", "--start", "2024-02", "--months", "3").stdout)
    assert [row["month"] for row in rows] == ["2024-02", "2024-03", "2024-04"]
    assert rows[0]["days"] == "29.0"
    # A new start month is a new projection: it starts from the initial stocks.
    assert float(rows[0]["nk_stock"]) == pytest.approx(5_739_260)


def test_a_later_start_keeps_the_changes_in_force() -> None:
    rows = csv_rows(invoke("run", "nk-cutback-2025", "--format", "csv", "--start", "2025-06", "--months", "2").stdout)
    assert [float(row["containers_shipped"]) for row in rows] == [500, 500]


def test_columns_chooses_the_columns_in_the_order_given() -> None:
    result = invoke("run", "baseline", "--format", "csv", "--columns", "ru_stock, month", "--months", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["ru_stock,month", "3650000.0,2023-09", "3690740.0,2023-10"]


def test_a_scenario_file_can_be_run(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(GOOD_FILE, encoding="utf-8")
    result = ammoflow("run", "mine.toml", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert len(rows) == 12
    assert float(rows[0]["ru_demand"]) == 30_000 * 30


def test_output_writes_a_file_and_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    first = ammoflow("run", "baseline", "--output", "out.csv", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[0].split(",") == CONTRACT_COLUMNS  # format from the ending

    out.write_text("keep me\n", encoding="utf-8")
    refused = ammoflow("run", "baseline", "--output", "out.csv", cwd=tmp_path)
    assert refused.returncode == 1
    assert_user_error(refused.stderr, "out.csv exists; add --force to overwrite it")
    assert out.read_text(encoding="utf-8") == "keep me\n"

    forced = ammoflow("run", "baseline", "--output", "out.csv", "--force", "--months", "2", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary file left


def test_output_as_json_by_its_ending(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("run", "baseline", "-o", str(out), "--months", "3")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    result = invoke("run", "baseline", "-o", str(tmp_path / "nowhere" / "out.csv"))
    assert result.exit_code == 1
    assert_user_error(result.stderr, "does not exist")


# -- errors a user can make ---------------------------------------------------------------------------


def test_unknown_preset_is_one_clear_line() -> None:
    result = ammoflow("run", "baselin")
    assert result.returncode == 1
    assert result.stdout == ""
    assert_user_error(result.stderr, 'unknown preset "baselin"; did you mean "baseline"?')
    assert len(result.stderr.splitlines()) == 1


BAD_INPUT = [
    (["run", "nope"], ['unknown preset "nope"', "presets: baseline, nk-cutback-2025"]),
    (["run", "missing.toml"], ["missing.toml: file not found"]),
    (["run", "baseline", "--set", "ru_fire_rte=1"], ['unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"']),
    (["run", "baseline", "--set", "ru_fire_rate=90k"], ["outside its range 0 to 80,000 rounds/day"]),
    (["run", "baseline", "--set", "ru_fire_rate=lots"], ['--set ru_fire_rate=lots: "lots" is not a number']),
    (["run", "baseline", "--set", "ru_fire_rate"], ["--set ru_fire_rate: write it as KEY=VALUE"]),
    (["run", "baseline", "--set", "ru_fire_rate=1e999999999"], ['not "1e999999999" (too large)']),
    (["run", "baseline", "--set", "ru_fire_rate=1e1000000k"], ["ru_fire_rate must be a finite number"]),
    (["run", "baseline", "--set", "transit_months=1.5"], ["transit_months must be a whole number of months"]),
    (["run", "baseline", "--start", "2023-13"], ['start: "2023-13" is not a month']),
    (["run", "baseline", "--columns", "month,ru_stok"], ['unknown column "ru_stok"; did you mean "ru_stock"']),
    (["summary", "baseline", "--set", "nk_reserve=-1"], ["outside its range 0 to 20,000,000 rounds"]),
    (["diff", "baseline", "nope"], ['unknown preset "nope"']),
    (["nope"], ['unknown preset "nope"']),
]


@pytest.mark.parametrize(("args", "words"), BAD_INPUT, ids=[" ".join(args) for args, _ in BAD_INPUT])
def test_bad_input_exits_1_with_a_message(args: list[str], words: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a deliberate exit, not a crash
    assert result.stdout == ""
    assert_user_error(result.stderr, *words)


def test_every_bad_set_is_reported_at_once() -> None:
    result = invoke("run", "baseline", "--set", "ru_fire_rate=90k", "--set", "foo=1")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 2


def test_a_bad_file_exits_1_with_its_lines(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text(BAD_FILE, encoding="utf-8")
    result = ammoflow("run", "broken.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "ammoflow: broken.toml:2: months = 0 is outside its range 1 to 240 months",
        'ammoflow: broken.toml:5: unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?',
    ]


def test_usage_errors_exit_2() -> None:
    result = ammoflow("run", "baseline", "--months", "0")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--months" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["run", "baseline", "--bogus"],
        ["run", "baseline", "--months", "241"],
        ["run", "baseline", "--months", "many"],
        ["run", "baseline", "--format", "xml"],
        ["run"],
        ["validate"],
        ["summary", "baseline", "--format", "csv"],
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2_in_process(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr


def test_a_parameter_written_twice_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "twice.toml").write_text("[parameters]\nru_fire_rate = 1\nru_fire_rate = 2\n", encoding="utf-8")
    result = ammoflow("validate", "twice.toml", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout.startswith("twice.toml:3:")


# -- summary and diff ---------------------------------------------------------------------------------


def test_summary_shows_key_figures_and_observations() -> None:
    result = ammoflow("summary", "baseline")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in (
        "Baseline",
        "2023-09 to 2027-08",
        "Key figures",
        "NK stock at reserve",
        "2025-04",
        "First Russian shortfall",
        "NK share of new supply",
        "Food to North Korea",
        "Projected against observed",
        "2024-02-23",
        "about 6,700",
    ):
        assert words in out, words


def test_summary_json() -> None:
    result = invoke("summary", "baseline", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scenario"] == {"name": "Baseline", "start": "2023-09", "months": 48}
    assert out["nk_reserve_month"] == "2025-04"
    assert out["rounds_shipped"] == pytest.approx(12_200_000)
    seed = [o for o in out["observations"] if o["date"] == "2024-02-23" and o["metric"] == "cumulative_containers"]
    assert seed[0]["observed"] == 6_700 and seed[0]["projected"] == pytest.approx(6_372.4, abs=0.1)


def test_summary_reads_bounds_as_bounds_and_reports_claimant_scales() -> None:
    result = ammoflow("summary", "baseline")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # "more than 1,000" against 1,561 projected is met, not a +56% miss (long cells wrap onto a second line).
    first = next(line for line in lines if line.startswith("2023-10-13"))
    assert first.split()[:8] == ["2023-10-13", "containers", "more", "than", "1,000", "1,561", "consistent:", "above"]
    assert "+56%" not in result.stdout
    assert "inconsistent: 34%" in next(line for line in lines if line.startswith("2024-02-29"))
    assert "Claimant scales" in result.stdout
    assert "×1.35  ×1.31 to ×1.40" in next(line for line in lines if line.startswith("Shin Won-sik"))
    out = json.loads(invoke("summary", "baseline", "--format", "json").stdout)
    first = out["observations"][0]
    assert (first["kind"], first["consistent"], first["verdict"]) == ("lower", True, "above the lower bound")
    scales = {row["claimant"]: row for row in out["claimant_scales"]}
    shin = scales["Shin Won-sik (South Korean defence minister)"]
    assert shin["p5"] < shin["mean"] < shin["p95"]
    assert shin["mean"] == pytest.approx(1.35, abs=0.01)


def test_summary_with_a_shorter_horizon_says_which_observations_it_cannot_check() -> None:
    out = json.loads(invoke("summary", "baseline", "--format", "json", "--start", "2024-01", "--months", "3").stdout)
    notes = {o["date"]: o["note"] for o in out["observations"]}
    assert notes["2023-10-13"] == "before the projection starts (2024-01)"
    assert notes["2024-08-27"] == "after the horizon ends (2024-03)"


def test_summary_with_a_bad_observations_file(tmp_path: Path) -> None:
    bad = tmp_path / "obs.csv"
    bad.write_text("date,metric,value\n2024-13-01,cumulative_rounds,1\n", encoding="utf-8")
    result = invoke("summary", "baseline", "--observations", str(bad))
    assert result.exit_code == 1
    assert_user_error(result.stderr, f'{bad}:2: date "2024-13-01" is not a date')


def test_diff_shows_both_scenarios_and_what_differs() -> None:
    result = ammoflow("diff", "baseline", "nk-cutback-2025")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Baseline" in out and "North Korean cutback from 2025" in out
    assert "+19 months" in out  # the reserve is reached 19 months later
    assert "containers_per_month = 500 from 2025-01" in out


def test_diff_json() -> None:
    out = json.loads(invoke("diff", "baseline", "us-state-dept", "--format", "json").stdout)
    assert out["first"]["name"] == "Baseline" and out["second"]["name"] == "US State Department count"
    assert out["parameters"] == {"containers_per_month": {"first": 1_100, "second": 1_700}}
    reserve = out["figures"]["nk_reserve_month"]
    assert reserve["first"] == "2025-04" and reserve["second"] < "2025-04" and reserve["difference"].endswith("months")


def test_diff_of_a_scenario_with_itself_shows_no_difference() -> None:
    out = json.loads(invoke("diff", "baseline", "baseline", "--format", "json").stdout)
    assert all(figure["difference"] == "" for figure in out["figures"].values())


# -- params, presets, validate ----------------------------------------------------------------------


def test_params_lists_every_parameter() -> None:
    result = ammoflow("params")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert set(registry.KEYS) <= listed


@pytest.mark.parametrize("output_format", ["json", "csv", "markdown"])
def test_params_in_every_format_names_every_key_with_its_default(output_format: str) -> None:
    result = invoke("params", "--format", output_format)
    assert result.exit_code == 0, result.output
    if output_format == "json":
        listed = {p["key"]: p["default"] for p in json.loads(result.stdout)}
        assert listed == {p.key: p.default for p in registry.PARAMETERS}
    elif output_format == "csv":
        rows = csv_rows(result.stdout)
        assert [row["key"] for row in rows] == list(registry.KEYS)
        assert float(rows[0]["default"]) == 150_000
    else:
        assert [line.split("|")[1].strip() for line in result.stdout.splitlines()[2:]] == [
            f"`{key}`" for key in registry.KEYS
        ]


def test_params_markdown_is_the_table_in_the_readme() -> None:
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    table = invoke("params", "--format", "markdown").stdout
    assert table in readme.read_text(encoding="utf-8"), (
        "README.md's parameter table is out of date: paste `ammoflow params --format markdown`"
    )


def test_presets_lists_all_four_with_their_descriptions() -> None:
    result = ammoflow("presets")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == PRESETS
    assert "deliveries more than halved from 2025-01" in result.stdout


def test_validate_good_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(GOOD_FILE, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(BAD_FILE, encoding="utf-8")
    result = ammoflow("validate", "good.toml", "bad.toml", "missing.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "good.toml: ok",
        "bad.toml:2: months = 0 is outside its range 1 to 240 months",
        'bad.toml:5: unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?',
        "missing.toml: file not found",
    ]
    assert result.stderr == "2 of 3 file(s) have problems\n"


def test_validate_passes_the_shipped_presets() -> None:
    files = [str(REPO / "scenarios" / "files" / "presets" / f"{name}.toml") for name in PRESETS]
    result = invoke("validate", *files)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{f}: ok" for f in files]


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('name = "x"\nmonths = \n', ":2:10: not valid TOML"),
        ('start = "2024-01"\n[[changes]]\nfrom = "2023-01"\nparameter = "ru_fire_rate"\nvalue = 1\n', ":3: change 1"),
        ("[parameters]\nnk_stock_initial = true\n", ":2: nk_stock_initial must be a number (rounds)"),
    ],
)
def test_validate_names_file_and_line(tmp_path: Path, content: str, where: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}{where}"), result.stdout


# -- staying light --------------------------------------------------------------------------------------

HEADLESS = textwrap.dedent(
    """
    import contextlib, io, sys
    from ammoflow.tui.cli.main import main
    for args in (
        ["run", "baseline", "--format", "csv"],
        ["run", "baseline"],
        ["summary", "baseline"],
        ["diff", "baseline", "nk-cutback-2025"],
        ["params"],
        ["presets"],
        ["validate", "scenarios/files/presets/baseline.toml"],
    ):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            main(args, standalone_mode=False)
    print("textual" in sys.modules)
    """
)


def test_headless_commands_do_not_import_textual() -> None:
    result = subprocess.run([sys.executable, "-c", HEADLESS], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_domain_imports_neither_textual_nor_click() -> None:
    """Every module of the domain, imported: neither Textual nor click comes with it."""
    code = (
        "import importlib, pkgutil, sys, ammoflow.scenarios as domain\n"
        "for module in pkgutil.walk_packages(domain.__path__, 'ammoflow.scenarios.'):\n"
        "    importlib.import_module(module.name)\n"
        "print(len([m for m in sys.modules if m.startswith('ammoflow.scenarios.')]) > 20, "
        "'textual' in sys.modules, 'click' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True False False"


def test_the_installed_script_runs() -> None:
    script = Path(sys.executable).with_name("ammoflow")
    if not script.exists():
        pytest.skip("the ammoflow script is not installed next to this Python")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("ammoflow, version ")
