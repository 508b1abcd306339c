"""The explorer as a user drives it: keys in, screen and files out (Textual's Pilot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_waits import settle, settle_until
from textual import events
from textual.widgets import Input, Select

from ammoflow.scenarios.analysis import montecarlo
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import read_scenario, scenario_text
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.figures import KeyFiguresView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.state import History
from ammoflow.tui.widgets.chart import Chart

# Each test has a state folder and a working folder of its own (see conftest.py).
pytestmark = pytest.mark.usefixtures("private_state")


def screen_text(app: AmmoflowApp) -> str:
    """The text of every label on the current screen (modal dialogs included)."""
    from textual.widgets import Label, Static

    return "\n".join(str(widget.render()) for widget in app.screen.query(Static) if not isinstance(widget, Label)) + (
        "\n".join(str(widget.render()) for widget in app.screen.query(Label))
    )


def figures_text(app: AmmoflowApp) -> str:
    return str(app.query_one(KeyFiguresView).render())


async def test_a_slider_step_changes_the_projection_and_the_key_figures() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = app.explorer.result.figures
        assert "32,673" in figures_text(app)  # containers shipped in the baseline
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right", "right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_000
        after = app.explorer.result.figures
        assert after.total_shortfall > before.total_shortfall
        assert after.first_shortfall_month < before.first_shortfall_month
        assert f"{after.total_shortfall:,.0f}" in figures_text(app)
        assert after.first_shortfall_month in figures_text(app)
        assert "modified" in app.sub_title


async def test_undo_and_redo_take_a_held_key_back_in_one_step() -> None:
    app = AmmoflowApp(offer_recovery=False)
    app.clock = lambda: 100.0  # the three steps come within one held key's time, however busy the machine
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right", "right", "right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_500
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_000
        assert app.query_one(ParametersPanel).values["ru_fire_rate"] == 20_000
        assert "modified" not in app.sub_title
        await pilot.press("ctrl+y")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_500


async def test_keys_typed_together_are_one_undo_step_however_late_they_are_handled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    app = AmmoflowApp(offer_recovery=False)
    app.clock = lambda: now[0]
    push = History.push

    def handled_slowly(history: History, *args: Any, **kwargs: Any) -> None:
        push(history, *args, **kwargs)
        now[0] += 5.0  # a busy machine: each step is handled seconds after the one before

    monkeypatch.setattr(History, "push", handled_slowly)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await settle(pilot, app)
        for _ in range(3):  # typed together: they arrive in one read, as over a slow link
            app.post_message(events.Key("right", None))
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_500
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_000
        # Typed seconds apart, the same steps stay steps of their own.
        await pilot.press("right")
        await pilot.press("right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_000
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_500


async def test_reset_puts_the_focused_parameter_back_to_its_saved_value() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("nk_reserve")
        await pilot.press("end")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["nk_reserve"] == 20_000_000
        await pilot.press("r")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["nk_reserve"] == 1_000_000


async def test_pinning_a_baseline_draws_it_dim_and_compares_the_figures() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert "baseline" not in figures_text(app)
        await pilot.press("b")
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "pagedown")
        await settle(pilot, app)
        text = figures_text(app)
        assert "baseline" in text and "change" in text
        assert "32,673" in text  # the pinned scenario's containers, beside the new ones
        chart = app.query_one("#chart-containers", Chart)
        kinds = [series.kind for series in chart.data.series]
        assert "baseline" in kinds
        assert any("·" in row for row in chart.rows)  # the dim baseline glyph is on screen


async def test_save_then_reopen_gives_the_same_scenario(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("left", "left", "left")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        prompt.value = "halved.toml"
        await pilot.press("enter")
        await settle(pilot, app)
        saved = private_state / "halved.toml"
        assert saved.exists()
        assert "modified" not in app.sub_title
        expected = app.explorer.workspace.scenario
    assert read_scenario(saved) == expected
    assert read_scenario(saved).values["containers_per_month"] == 1070

    reopened = AmmoflowApp(read_scenario(saved), saved, str(saved), offer_recovery=False)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await settle(pilot, reopened)
        assert reopened.query_one(ParametersPanel).values["containers_per_month"] == 1070
        assert "modified" not in reopened.sub_title


async def test_saving_over_a_file_changed_on_disk_asks_first(private_state: Path) -> None:
    path = private_state / "mine.toml"
    path.write_text(scenario_text(baseline()))
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        path.write_text(path.read_text() + "# edited elsewhere\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert "changed by something else" in screen_text(app)
        await pilot.press("escape")  # keep the other change
        await pilot.pause()
        assert path.read_text().endswith("# edited elsewhere\n")
        assert read_scenario(path).values["ru_fire_rate"] == 20_000


async def test_quitting_with_unsaved_changes_asks_and_can_stay() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]  # a question is showing
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.screen is app.screen_stack[0]


async def test_a_bad_file_opened_from_the_app_leaves_the_scenario_untouched(private_state: Path) -> None:
    bad = private_state / "broken.toml"
    bad.write_text('name = "x"\n[parameters]\nru_fire_rate = "lots"\n')
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        before = app.explorer.workspace.scenario
        await pilot.press("ctrl+o")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = str(bad)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == before
        messages = list(app.notices)
        assert any("ru_fire_rate must be a number" in m and ":3:" in m for m in messages)


async def test_a_change_over_time_can_be_added_and_removed() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("a")
        await pilot.pause()
        month, value = app.screen.query_one("#month", Input), app.screen.query_one("#value", Input)
        month.value = "2025-01"
        value.value = "500"
        value.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert [(c.month, c.parameter, c.value) for c in app.explorer.workspace.scenario.changes] == [
            ("2025-01", "containers_per_month", 500.0)
        ]
        assert app.explorer.result.figures.nk_reserve_month > "2025-04"
        table = app.query_one("#changes-table")
        table.focus()
        await pilot.press("x")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.changes == ()


async def test_a_terminal_too_small_shows_a_note_instead_of_a_broken_screen() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert app.query_one("#too-small").display
        assert app.query_one("#too-small").region.height > 0
        assert not app.query_one("#main").display
        assert "too small" in str(app.query_one("#too-small").render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.query_one("#main").region.height > 0


async def test_after_a_crash_the_next_start_offers_the_unsaved_work(stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    lost = baseline().with_value("ru_fire_rate", 33_000)
    stopped_explorer(lost, preset="baseline")
    app = AmmoflowApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 33_000
        assert "modified" in app.sub_title


async def test_unsaved_work_is_kept_for_recovery_and_cleared_on_a_clean_quit() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        app.keep_work()  # what the timer does a moment after the last change
        found = app.slot.read()
        assert found is not None and found.scenario.values["ru_fire_rate"] == 20_500
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.slot.read() is None


async def test_every_binding_has_an_id_and_the_palette_can_set_a_parameter() -> None:
    app = AmmoflowApp(offer_recovery=False)
    assert all(binding.id for binding in app.explorer.BINDINGS)
    async with app.run_test(size=(120, 40)) as pilot:
        app.explorer.action_edit_parameter("ru_production")
        await pilot.pause()
        assert app.query_one(ParametersPanel).focused_key == "ru_production"
        field = app.focused
        assert isinstance(field, Input)
        field.value = "400k"
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_production"] == 400_000


async def test_a_preset_opens_with_its_changes_over_time() -> None:
    scenario = presets.load("nk-cutback-2025")
    app = AmmoflowApp(scenario, None, "nk-cutback-2025", offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one("#changes-table")
        assert table.row_count == 1
        assert app.explorer.result.figures.nk_reserve_month == "2026-11"


async def test_keys_can_be_remapped_in_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"app.pin_baseline" = "p"\n"app.no_such_thing" = "z"\n')
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(config))
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        assert app.explorer.workspace.baseline.values["ru_fire_rate"] == 20_500
        messages = list(app.notices)
        assert any('unknown binding id "app.no_such_thing"' in m for m in messages)


async def wait_for_fans(pilot, app: AmmoflowApp) -> None:  # type: ignore[no-untyped-def]
    """Wait until the uncertainty fans are those of the current sliders (at most a minute)."""
    await settle(pilot, app)
    assert app.explorer.bands_current


async def test_uncertainty_fans_appear_follow_the_sliders_and_disappear() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        chart = app.query_one("#chart-containers", Chart)
        assert "band" not in [series.kind for series in chart.data.series]
        await pilot.press("u")
        await wait_for_fans(pilot, app)
        kinds = [series.kind for series in chart.data.series]
        assert kinds.count("band") == 2
        outer = next(series for series in chart.data.series if series.kind == "band")
        median = app.explorer.bands.fans["cumulative_containers"][50]
        assert all(low <= mid <= high for low, mid, high in zip(outer.y, median, outer.y_high, strict=True))
        status = str(app.query_one("#fan-status").render())
        assert status == "Bands of 1,000 runs · all assumptions · triangular · seed 0 · U settings"
        before = app.explorer.bands.fans["cumulative_containers"][50][-1]
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot, app)
        await wait_for_fans(pilot, app)
        assert app.explorer.bands.scenario == app.explorer.workspace.scenario
        assert app.explorer.bands.fans["cumulative_containers"][50][-1] != before
        await pilot.press("u")
        await settle(pilot, app)
        assert "band" not in [series.kind for series in chart.data.series]
        assert not app.query_one("#fan-status").display


async def test_keys_stay_live_while_a_large_uncertainty_run_is_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import attrs

    from ammoflow.scenarios.model.scenario import Uncertainty

    # 100,000 runs, held at their first chunk until the keys below have been handled: however
    # fast the machine, the run is still in flight while the user goes on working.
    gate = threading.Event()
    project_batch = montecarlo.project_batch

    def held(*args: object, **kwargs: object) -> object:
        gate.wait(timeout=30)
        return project_batch(*args, **kwargs)

    monkeypatch.setattr(montecarlo, "project_batch", held)
    big = attrs.evolve(baseline(), uncertainty=Uncertainty(runs=100_000))
    app = AmmoflowApp(big, None, "big", offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")  # the run starts in a worker
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right", "right", "right")
        await pilot.pause()
        await settle_until(pilot, lambda: not app.explorer.busy)  # the projection; the bands are held
        # The keys were handled, and the projection redrawn, while the run was still going.
        assert app.query_one(ParametersPanel).values["ru_fire_rate"] == 21_500
        assert app.explorer.result.scenario.values["ru_fire_rate"] == 21_500
        assert app.explorer.bands_running and app.explorer.bands is None
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_500
        await pilot.pause(0.3)
        assert "running 100,000" in str(app.query_one("#fan-status").render())  # said after 200 ms
        assert "%" not in str(app.query_one("#fan-status").render())  # no chunk has finished
        gate.set()
        await wait_for_fans(pilot, app)
        # The bands shown are for the newest scenario.
        assert app.explorer.bands.scenario == app.explorer.workspace.scenario
        assert app.explorer.bands.runs == 100_000


async def test_a_long_uncertainty_run_says_how_far_it_has_got(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import attrs

    from ammoflow.scenarios.model.scenario import Uncertainty

    # The explorer projects 10,000 runs a chunk: the first passes, the rest wait at the gate (a
    # projection of one run, which tells the simulation how to lay its blocks out, is no chunk).
    gate = threading.Event()
    calls: list[int] = []
    project_batch = montecarlo.project_batch

    def held(scenario: object, values: object, runs: int, **kwargs: object) -> object:
        if runs > 1:
            calls.append(1)
            if len(calls) > 1:
                gate.wait(timeout=30)
        return project_batch(scenario, values, runs, **kwargs)

    monkeypatch.setattr(montecarlo, "project_batch", held)
    app = AmmoflowApp(attrs.evolve(baseline(), uncertainty=Uncertainty(runs=20_000)), None, "big", offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await pilot.pause(0.5)
        assert "running 20,000 Monte Carlo runs… 50%" in str(app.query_one("#fan-status").render())
        gate.set()
        await wait_for_fans(pilot, app)
        assert "Bands of 20,000 runs" in str(app.query_one("#fan-status").render())


async def test_uncertainty_settings_are_an_undoable_change_that_shows_the_bands_and_is_saved(tmp_path: Path) -> None:
    from ammoflow.scenarios.files.scenario_toml import write_scenario
    from ammoflow.scenarios.model.scenario import Uncertainty
    from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen

    path = tmp_path / "mine.toml"
    write_scenario(baseline(), path)
    app = AmmoflowApp(read_scenario(path), path, str(path), offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, UncertaintyScreen)
        await pilot.press(*"2000")
        await pilot.press("enter")
        await wait_for_fans(pilot, app)
        assert app.explorer.workspace.scenario.uncertainty == Uncertainty(runs=2_000)
        assert app.explorer.fans_on and app.explorer.bands is not None and app.explorer.bands.runs == 2_000
        assert "Bands of 2,000 runs" in str(app.query_one("#fan-status").render())
        await pilot.press("ctrl+z")
        await wait_for_fans(pilot, app)
        assert app.explorer.workspace.scenario.uncertainty == Uncertainty()
        assert app.explorer.bands.runs == 1_000
        await pilot.press("ctrl+y", "ctrl+s")
        await settle(pilot, app)
        assert read_scenario(path).uncertainty.runs == 2_000


async def test_goal_seek_is_applied_as_one_undoable_change() -> None:
    from ammoflow.scenarios.analysis.seek import goal_seek

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#parameter", Select).value = "ru_production"
        target = app.screen.query_one("#target", Input)
        target.value = "never"
        target.focus()
        await pilot.press("enter")  # seek
        for _ in range(300):
            await pilot.pause()
            if "Apply" in screen_text(app) and getattr(app.screen, "result", None) is not None:
                break
        await pilot.press("enter")  # apply
        await settle(pilot, app)
        expected = goal_seek(baseline(), "ru_production", "first_shortfall_month", "never").value
        assert app.explorer.workspace.scenario.values["ru_production"] == expected
        assert app.explorer.result.figures.first_shortfall_month is None
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_production"] == 250_000


async def test_fit_is_applied_and_the_tornado_tab_lists_parameters_by_effect() -> None:
    from ammoflow.scenarios.analysis.fit import fit

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("enter")  # fit the preselected parameter
        for _ in range(300):
            await pilot.pause()
            if getattr(app.screen, "result", None) is not None:
                break
        await pilot.press("enter")  # apply
        await settle(pilot, app)
        expected = fit(baseline(), ["containers_per_month"]).values["containers_per_month"]
        assert app.explorer.workspace.scenario.values["containers_per_month"] == pytest.approx(expected)
        await pilot.press("8")
        for _ in range(300):
            await pilot.pause()
            view = app.query_one(TornadoView)
            if view.tornado is not None:
                break
        assert view.tornado.bars[0].key == "ru_fire_rate"


async def test_recovered_work_belongs_to_the_file_it_came_from(private_state: Path, stopped_explorer) -> None:  # type: ignore[no-untyped-def]
    from ammoflow.scenarios.files.scenario_toml import write_scenario

    first, second = private_state / "a.toml", private_state / "b.toml"
    write_scenario(baseline(), first)
    write_scenario(baseline().with_value("nk_reserve", 2_000_000), second)
    stopped_explorer(read_scenario(first).with_value("ru_fire_rate", 33_000), path=first)
    app = AmmoflowApp(read_scenario(second), second, str(second))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")  # restore
        await settle(pilot, app)
        assert app.explorer.workspace.path == first
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 33_000
        assert app.explorer.workspace.modified
    assert read_scenario(second).values["nk_reserve"] == 2_000_000  # untouched


async def test_reset_all_returns_to_the_saved_scenario() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("end")
        app.query_one(ParametersPanel).focus_parameter("nk_reserve")
        await pilot.press("home")
        await settle(pilot, app)
        await pilot.press("R")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == app.explorer.workspace.saved
        assert not app.explorer.workspace.modified


async def test_a_slider_step_reaches_the_workspace_in_the_turn_of_the_key() -> None:
    """Nothing is handled between the step and the check: a key typed next acts on the new scenario."""
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        slider = app.query_one(ParametersPanel).row("ru_fire_rate").slider
        slider.action_step_up()  # what the right arrow does on the slider
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 20_500
        assert app.explorer.busy  # and its projection is asked for


async def test_undo_after_pinning_returns_to_the_pinned_scenario() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right", "right", "b", "right")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_500
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values["ru_fire_rate"] == 21_000  # the pinned value, not the start


async def test_no_dialog_opens_over_another() -> None:
    from ammoflow.tui.dialogs.seek import SeekScreen

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, SeekScreen)
        for action in ("open", "fit", "help", "uncertainty_settings"):
            await app.explorer.run_action(action)  # as the palette would
            await pilot.pause()
            assert isinstance(app.screen, SeekScreen), action
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+o")  # with the dialog gone, the action works again
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenScenarioScreen"
