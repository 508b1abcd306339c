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

    def held(
        scenario: Scenario, stopped: Callable[[], bool], progress: Callable[[int, int], None], **_: object
    ) -> Bands:
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
        observed = "observations" in given
        return Bands(scenario, {}, 1_000, "given 10 observations (ESS 5 of 8,000 runs drawn)" if observed else None)

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


@pytest.mark.usefixtures("private_state")
async def test_with_the_bands_on_the_as_of_figures_get_ranges_read_at_the_explorers_today() -> None:
    """The four "as of" figures get a p5–p95 range like the others, for the month the explorer reads them at."""
    from datetime import date

    import numpy as np
    from pilot_waits import settle

    from ammoflow.scenarios.analysis.montecarlo import simulate
    from ammoflow.scenarios.model.months import parse_month
    from ammoflow.tui.app import AmmoflowApp
    from ammoflow.tui.panels.figures import KeyFiguresView

    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2024, 3, 10)  # not the machine's today: the ranges must follow the explorer's
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert app.explorer.bands_current and app.explorer.bands is not None
        shown = app.query_one("#figures-full", KeyFiguresView).text
        scenario = app.explorer.bands.scenario
        ranges = app.explorer.bands.figures
        read_at = app.explorer.bands.as_of
    assert shown.splitlines()[0].startswith("as of 2024-03")
    assert read_at == parse_month("2024-03")  # the bands say which month their as-of ranges are for
    runs = simulate(scenario, columns=(), as_of=parse_month("2024-03"))
    for label, key in (
        ("Shortfall, next 12 months", "shortfall_next_12_months"),
        ("NK stock as of", "nk_stock_as_of"),
        ("RU stock as of", "ru_stock_as_of"),
        ("Months of fire from NK", "nk_months_of_fire"),
    ):
        row = next(line for line in shown.splitlines() if line.startswith(label))
        assert "–" in row.split()[-1], row  # the range column is filled
        want = runs.figure_percentiles(key, (5, 50, 95))
        assert np.allclose(ranges[key], (want[5], want[50], want[95]), rtol=1e-12), key
    # Read at 2024-03, not at the machine's today: North Korea's stock was higher then.
    later = simulate(scenario, columns=(), as_of=parse_month("2026-12")).figure_percentiles("nk_stock_as_of", (50,))
    assert ranges["nk_stock_as_of"][1] > later[50]


def test_the_figures_table_rounds_a_range_of_counts_as_a_spread() -> None:
    """``8,480,004–18,426,531`` filled the column with noise: a count's range is read at three digits."""
    from ammoflow.tui.panels.figures import range_text

    spread = (8_480_003.54, 12_885_691.6, 18_426_531.39)
    assert range_text("rounds_shipped", spread, (24_300, 48), short=False) == "8.48M–18.4M"
    assert range_text("rounds_shipped", spread, (24_300, 48), short=True) == "8.48M–18.4M"
    assert range_text("average_fired_per_day", (13_557.7, 20_166.7, 26_112.5), None, short=False) == "13.6k–26.1k"
    assert range_text("nk_months_of_fire", (1.71, 3.0, 5.69), None, short=False) == "1.7–5.7"  # months: tenths
    assert range_text("nk_share_of_supply", (0.363, 0.485, 0.610), None, short=False) == "36.3–61.0%"
