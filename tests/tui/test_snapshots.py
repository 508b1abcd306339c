"""Whole screens as a user sees them, at the sizes that matter: 80x24 and 120x40.

Update after an intended change of the screens with `pytest --snapshot-update`, and look
at the report before committing the new pictures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pilot_waits import settle, steady_cursors

from ammoflow.scenarios.files import presets
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


TODAY = date(2025, 6, 15)  # the present the charts mark, fixed so the pictures do not age


def explorer(app: AmmoflowApp | None = None) -> AmmoflowApp:
    app = app or AmmoflowApp(offer_recovery=False)
    app.today = lambda: TODAY
    return app


async def wait_for_results(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot, pilot.app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_explorer_opens_on_the_baseline(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(explorer(), terminal_size=size, run_before=wait_for_results)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_pinned_baseline_against_a_moved_slider(snap_compare, size: tuple[int, int]) -> None:
    async def move(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("b")
        pilot.app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.press("4")  # the front-line chart
        await wait_for_results(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(explorer(), terminal_size=size, run_before=move)


def test_the_stockpiles_of_a_preset_with_changes_over_time(snap_compare) -> None:
    app = explorer(AmmoflowApp(presets.load("nk-cutback-2025"), None, "nk-cutback-2025", offer_recovery=False))
    assert snap_compare(app, terminal_size=(120, 40), press=["3"], run_before=wait_for_results)


def test_uncertainty_bands_on_the_stocks_chart(snap_compare) -> None:
    async def bands(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        await pilot.press("3", "u")  # the stocks chart, then the bands
        await wait_for_results(pilot)
        assert app.explorer.bands_current

    assert snap_compare(explorer(), terminal_size=(120, 40), run_before=bands)


def test_bands_given_the_observations_on_the_shipped_chart(snap_compare) -> None:
    """The README's posterior predictive check: the bands given the observations, the observations over them."""
    import attrs

    scenario = presets.load("baseline")
    scenario = attrs.evolve(scenario, uncertainty=attrs.evolve(scenario.uncertainty, runs=10_000))

    async def given(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("1", "o")  # the containers chart, then the bands given the observations
        await wait_for_results(pilot)
        assert pilot.app.explorer.bands_current and pilot.app.explorer.fans_given

    app = explorer(AmmoflowApp(scenario, None, "baseline", offer_recovery=False))
    assert snap_compare(app, terminal_size=(120, 40), run_before=given)


def test_the_help_screen_lists_the_keys(snap_compare) -> None:
    assert snap_compare(explorer(), terminal_size=(80, 24), press=["f1"])


def test_a_terminal_too_small(snap_compare) -> None:
    assert snap_compare(explorer(), terminal_size=(50, 15))


def _with_changes() -> AmmoflowApp:
    from ammoflow.scenarios.model.scenario import Change

    scenario = presets.load("baseline").with_changes(
        [
            Change("2024-06", "containers_per_month", 700),
            Change("2025-01", "nk_capacity_russia", 100_000, 6),
            Change("2026-01", "containers_per_month", 1_500, 12),
        ]
    )
    return explorer(AmmoflowApp(scenario, None, "baseline", offer_recovery=False))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_changes_tab_with_each_schedule(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(_with_changes(), terminal_size=size, press=["c"], run_before=wait_for_results)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_adding_a_change_phased_in_over_months(snap_compare, size: tuple[int, int]) -> None:
    async def fill(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input

        await wait_for_results(pilot)
        pilot.app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("a")
        await pilot.pause()
        pilot.app.screen.query_one("#value", Input).value = "30000"
        pilot.app.screen.query_one("#over", Input).value = "6"
        await steady_cursors(pilot)

    assert snap_compare(explorer(), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_scenario_dialog(snap_compare, size: tuple[int, int]) -> None:
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_for_results(pilot)
        await pilot.press("E")
        await steady_cursors(pilot)

    assert snap_compare(explorer(), terminal_size=size, run_before=open_it)
