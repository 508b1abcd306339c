"""Whole screens as a user sees them, at the sizes that matter: 80x24 and 120x40.

Update after an intended change of the screens with `pytest --snapshot-update`, and look
at the report before committing the new pictures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import settle

from ammoflow.scenarios.files import presets
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def explorer() -> AmmoflowApp:
    return AmmoflowApp(offer_recovery=False)


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
    app = AmmoflowApp(presets.load("nk-cutback-2025"), None, "nk-cutback-2025", offer_recovery=False)
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

    app = AmmoflowApp(scenario, None, "baseline", offer_recovery=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=given)


def test_the_help_screen_lists_the_keys(snap_compare) -> None:
    assert snap_compare(explorer(), terminal_size=(80, 24), press=["f1"])


def test_a_terminal_too_small(snap_compare) -> None:
    assert snap_compare(explorer(), terminal_size=(50, 15))
