"""The bands' status line: one progress ticker however many edits a slow Monte Carlo run sees."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pilot_waits import settle_until
from test_analysis_screens import ManualTimers
from textual.app import App, ComposeResult

from ammoflow.scenarios.model.scenario import Scenario, baseline
from ammoflow.tui.panels import bands as bands_module
from ammoflow.tui.panels.bands import Bands, BandsStatus


class BandsHost(App[None]):
    def compose(self) -> ComposeResult:
        yield BandsStatus(lambda: None, id="fan-status")


async def test_edits_during_a_slow_run_leave_one_ticker_and_it_stops_with_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gates = {0: threading.Event(), 1: threading.Event()}
    ran: list[Scenario] = []

    def held(scenario: Scenario, stopped: Callable[[], bool], progress: Callable[[int, int], None]) -> Bands:
        index = len(ran)
        ran.append(scenario)
        gates[index].wait(timeout=30)
        return Bands(scenario, {}, 1_000)

    monkeypatch.setattr(bands_module, "simulate_bands", held)
    delays, tickers = ManualTimers(), ManualTimers()
    monkeypatch.setattr(BandsStatus, "set_timer", delays.set_timer)
    monkeypatch.setattr(BandsStatus, "set_interval", tickers.set_timer)
    first, second = baseline(), baseline().with_value("ru_fire_rate", 30_000)
    app = BandsHost()
    async with app.run_test() as pilot:
        status = app.query_one(BandsStatus)
        status.toggle(first)
        await settle_until(pilot, lambda: len(ran) == 1)
        delays.timers[-1].fire()  # the run has taken long enough: say so, and tick
        assert len(tickers.timers) == 1
        status.ask(second)  # an edit while the run goes on, and the run is slow again
        delays.timers[-1].fire()
        assert len(tickers.timers) == 1  # still the one ticker
        gates[0].set()
        await settle_until(pilot, lambda: len(ran) == 2)
        gates[1].set()
        await settle_until(pilot, lambda: status.bands is not None)
        assert status.bands is not None and status.bands.scenario == second
        assert all(ticker.stopped for ticker in tickers.timers)


@pytest.mark.usefixtures("private_state")
async def test_a_key_switches_the_bands_to_given_the_observations_and_back() -> None:
    from pilot_waits import settle

    from ammoflow.tui.app import AmmoflowApp

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert app.explorer.bands_current and not app.explorer.fans_given
        everything = app.explorer.bands
        assert everything is not None
        await pilot.press("o")
        await settle(pilot, app)
        assert app.explorer.fans_given and app.explorer.bands_current
        given = app.explorer.bands
        assert given is not None and given.given is not None
        status = str(app.query_one("#fan-status").render())
        # The default 1,000 runs rest on enough effective runs given the shipped observations.
        assert status.startswith("Bands of 1,000 runs given 10 observations (ESS ")
        assert "the bands are rough" not in status
        outer = given.fans["cumulative_containers"][5]
        assert list(outer) != list(everything.fans["cumulative_containers"][5])
        await pilot.press("o")
        await settle(pilot, app)
        assert not app.explorer.fans_given and app.explorer.bands_current
        assert "all assumptions" in str(app.query_one("#fan-status").render())


async def test_the_given_key_never_waits_for_the_bands(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    modes: list[bool] = []

    def held(
        scenario: Scenario, stopped: Callable[[], bool], progress: Callable[[int, int], None], **given: object
    ) -> Bands:
        modes.append("observations" in given)
        gate.wait(timeout=30)
        return Bands(scenario, {}, 1_000, "given 10 observations (ESS 5 of 8,000 runs drawn)" if given else None)

    monkeypatch.setattr(bands_module, "simulate_bands", held)
    app = BandsHost()
    async with app.run_test() as pilot:
        status = app.query_one(BandsStatus)
        status.toggle_given(baseline())  # bands on, given the observations, computed in the job's thread
        await settle_until(pilot, lambda: modes == [True])
        assert status.wanted and status.given and status.bands is None  # answered at once, the run still held
        status.toggle_given(baseline())  # back to all assumptions while the first run is still held
        assert not status.given
        gate.set()
        await settle_until(pilot, lambda: status.bands is not None)
        assert modes == [True, False]  # the newest mode is the one drawn
        assert status.bands is not None and status.bands.given is None
        assert "all assumptions" in str(status.render())
