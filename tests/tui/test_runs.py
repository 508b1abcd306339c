"""Runs kept for comparison: kept off the key path, set beside the scenario, cycled, removed, exported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from pilot_waits import settle, settle_until

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.numbers import parse_number
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.figures import KeyFiguresView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.runs import Runs, project_run, write_comparison

TODAY = date(2025, 6, 15)


def explorer() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: TODAY
    return app


def table(app: AmmoflowApp) -> str:
    return app.query_one("#figures-full", KeyFiguresView).text


async def keep_three(pilot, app: AmmoflowApp) -> None:  # type: ignore[no-untyped-def]
    """Keep the baseline, then two moved versions of it: three runs."""
    await settle(pilot, app)
    await pilot.press("k")
    await settle(pilot, app)
    app.query_one(ParametersPanel).focus_parameter("containers_per_month")
    for _ in range(2):
        await pilot.press("pagedown", "pagedown")
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)


async def test_three_kept_runs_sit_beside_the_scenario_at_120x40(private_state: Path) -> None:
    app = explorer()
    async with app.run_test(size=(120, 40)) as pilot:
        await keep_three(pilot, app)
        screen = app.explorer
        assert screen.runs.labels == ["Baseline", "Baseline (modified)", "Baseline (modified) (2)"]
        await pilot.press("6")
        await settle(pilot, app)
        header = table(app).splitlines()[0].split()
        # The change is against the run kept last (names cut in the middle keep their ends);
        # the pinned baseline follows, as many runs as fit.
        assert header[3:6] == ["this", "Base…(2)", "change"]
        assert "baseline" in header
        assert len(table(app).splitlines()) == 13  # every figure, one line each
        # A run keeps its figures when the sliders move on: it is never projected again.
        kept = screen.runs.items[0].figures
        await pilot.press("pagedown")
        await settle(pilot, app)
        assert screen.runs.items[0].figures is kept


async def test_v_chooses_which_run_the_change_is_against(private_state: Path) -> None:
    app = explorer()
    async with app.run_test(size=(80, 24)) as pilot:
        await keep_three(pilot, app)
        await pilot.press("6")
        await settle(pilot, app)
        line = str(app.query_one("#compared-line").render())
        assert "change vs Baseline (modified) (2)" in line
        # The last run kept is the scenario as it is now: no change against it.
        assert "+" not in table(app).split("\n", 2)[2]
        await pilot.press("v")
        await settle(pilot, app)
        assert "change vs baseline ·" in str(app.query_one("#compared-line").render())
        assert "+" in table(app)  # the scenario ships more than the baseline did


async def test_the_whole_table_fits_80x24_with_a_baseline(private_state: Path) -> None:
    app = explorer()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "pagedown", "pagedown", "6")
        await settle(pilot, app)
        lines = table(app).splitlines()
        assert len(lines) == 13
        assert lines[0].split()[-3:] == ["this", "baseline", "change"]  # the change on the header's line
        assert not any("…" in line for line in lines)  # no label cut
        width = app.query_one("#figures-full", KeyFiguresView).size.width
        assert all(len(line) <= width for line in lines)


async def test_opening_another_scenario_repins_and_keeps_the_old_baseline(private_state: Path) -> None:
    app = explorer()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = app.explorer
        screen.open_scenario(presets.load("nk-cutback-2025"), None, "nk-cutback-2025")
        await settle(pilot, app)
        assert screen.workspace.baseline_name == presets.load("nk-cutback-2025").name
        assert screen.runs.labels == ["Baseline"]
        assert any("kept as the run Baseline" in n.message for n in app._notifications)


async def test_the_runs_dialog_renames_removes_and_unpins(private_state: Path) -> None:
    app = explorer()
    async with app.run_test(size=(120, 40)) as pilot:
        await keep_three(pilot, app)
        screen = app.explorer
        await pilot.press("K")
        await settle(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"fast")
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.runs.labels[0] == "fast"
        await pilot.press("K")
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        assert screen.runs.labels == ["Baseline (modified)", "Baseline (modified) (2)"]
        await pilot.press("K")
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        assert not screen.workspace.pinned
        assert "No baseline" in str(app.query_one("#compared-line").render())


def test_a_comparison_is_written_a_row_per_run_and_month(tmp_path: Path) -> None:
    runs = Runs()
    for name in ("baseline", "nk-cutback-2025", "baseline"):
        runs.add(project_run(name, presets.load(name)))
    assert runs.labels == ["baseline", "nk-cutback-2025", "baseline (2)"]
    months, figures = write_comparison(runs.items, tmp_path / "compare.parquet")
    frame = pl.read_parquet(months)
    assert frame.columns[0] == "run" and frame.height == 3 * 48
    assert frame.filter(pl.col("run") == "nk-cutback-2025")["month"].to_list()[0] == "2023-09"
    table = pl.read_parquet(figures)
    assert table["run"].to_list() == runs.labels
    assert table["nk_reserve_month"].to_list() == ["2025-04", "2026-11", "2025-04"]
    write_comparison(runs.items, tmp_path / "compare.csv")
    assert pl.read_csv(tmp_path / "compare-figures.csv").height == 3
    with pytest.raises(ScenarioError, match=r"\.csv or \.parquet"):
        write_comparison(runs.items, tmp_path / "compare.xlsx")


def test_a_run_cannot_take_a_name_in_use() -> None:
    runs = Runs()
    runs.add(project_run("a", presets.load("baseline")))
    runs.add(project_run("b", presets.load("baseline")))
    with pytest.raises(ScenarioError, match="already called"):
        runs.rename("a", "b")
    with pytest.raises(ScenarioError, match="needs a name"):
        runs.rename("a", "  ")
    assert runs.rename("a", " c\x1b ").label.startswith("c")


async def test_with_bands_on_each_figure_shows_its_p5_to_p95(private_state: Path) -> None:
    import attrs

    scenario = presets.load("baseline")
    scenario = attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, runs=400))
    app = AmmoflowApp(scenario, None, "baseline", offer_recovery=False)
    app.today = lambda: TODAY
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u", "6")
        await settle(pilot, app)
        assert app.explorer.bands_current
        lines = table(app).splitlines()
        assert "p5–p95" in lines[0]
        containers = next(line for line in lines if line.lstrip().startswith("Containers"))
        low, high = (parse_number(v) for v in containers.split()[-1].split("–"))  # 23.8k–55.2k
        assert low < app.explorer.result.figures.containers_shipped < high  # type: ignore[union-attr]  # projected by now
        # Off again: the column goes.
        await pilot.press("u")
        await settle(pilot, app)
        assert "p5–p95" not in table(app)


async def test_labels_are_whole_at_120x40_when_a_month_is_never_reached(private_state: Path) -> None:
    # A stock that never reaches its reserve: the value once read "not within horizon" and cut the labels.
    scenario = presets.load("baseline").with_values({"nk_stock_initial": 20_000_000})
    app = AmmoflowApp(scenario, None, "baseline", offer_recovery=False)
    app.today = lambda: TODAY
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "6")
        await settle(pilot, app)
        lines = table(app).splitlines()
        reserve = next(line for line in lines if "reserve" in line)
        assert reserve.split()[-2:] == ["none", "none"]  # one wording for "not within the horizon"
        assert not any("…" in line for line in lines)


async def test_the_line_over_the_figures_names_the_keys_that_keep_and_list_runs() -> None:
    from textual.widgets import Static

    from ammoflow.tui.dialogs.runs import RunsScreen

    app = explorer()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("6")
        await settle(pilot, app)
        line = str(app.query_one("#compared-line", Static).render())
        assert "k keep run" in line and "K runs" in line
        await pilot.press("K")  # the key the line names opens the runs
        await settle(pilot, app)
        assert isinstance(app.screen, RunsScreen)


async def test_hints_name_the_keys_the_keymap_gave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keeping a run says which key lists the runs, and the line over the figures names the keys
    as bound: moved by a ``[keymap]`` entry, the hints follow."""
    from textual.widgets import Static

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.runs" = "ctrl+l"\n', encoding="utf-8")
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    told: list[str] = []
    app = explorer()
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (told.append(str(message)), notify(message, *a, **k)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("6", "k")
        await settle_until(pilot, lambda: any("Kept run" in message for message in told))
        kept = [message for message in told if "Kept run" in message]
        assert kept and "(^l lists the runs)" in kept[0], kept
        line = str(app.query_one("#compared-line", Static).render())
        assert "^l runs" in line and "K runs" not in line, line
