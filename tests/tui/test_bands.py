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
