"""Pilot tests for the backtest view: the cut, its bands, the later observations, keys that never wait."""

from __future__ import annotations

import math
import threading
from typing import Any

import pytest
from pilot_waits import settle, settle_until
from test_analysis_screens import SMALL, Host, assert_fits

from ammoflow.scenarios.analysis.backtest import backtest
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs import backtest as backtest_module
from ammoflow.tui.dialogs.backtest import BacktestScreen, backtest_chart
from ammoflow.tui.widgets.chart import Chart


def labels(screen: BacktestScreen) -> list[str]:
    data = screen.query_one(Chart).data
    return [series.label for series in data.series] if data is not None else []


async def test_the_view_opens_on_the_middle_observation_and_shows_what_was_known_then() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await pilot.press("B")
        await settle_until(pilot, lambda: isinstance(app.screen, BacktestScreen) and app.screen.shown is not None)
        screen = app.screen
        assert isinstance(screen, BacktestScreen) and screen.shown is not None
        assert screen.until == "2024-02"  # the 5th of the 10 shipped observations is dated 2024-02-23
        hit50, _ = screen.shown.result.coverage(50)
        hit90, _ = screen.shown.result.coverage(90)
        assert screen.verdict.startswith(
            f"cut 2024-02: 7 known, 3 later scored · 50% band {hit50} of 3 · 90% band {hit90} of 3"
        )
        assert ("the bands are rough" in screen.verdict) == (not screen.shown.result.enough)
        assert labels(screen) == ["5-95%", "25-75%", "median", "known at the cut", "reported later"]
        assert_fits(app, "#backtest-chart", "#verdict", "#keys")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BacktestScreen)


async def test_the_bands_start_at_the_cut_and_the_markers_are_the_observations_of_the_metric_shown() -> None:
    scenario, observations = baseline(), read_observations()
    app = Host(lambda: BacktestScreen(scenario, observations, "2024-02"))
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        assert isinstance(screen, BacktestScreen)
        await screen.settled()
        assert screen.shown is not None
        data = backtest_chart(screen.shown, "cumulative_containers")
        cut = scenario.month_labels().index("2024-02")
        outer = data.series[0]
        assert all(math.isnan(v) for v in outer.y[:cut]) and not any(math.isnan(v) for v in outer.y[cut:])
        later = next(s for s in data.series if s.label == "reported later")
        assert later.y == (10_000.0, 13_000.0)  # the containers reported after February 2024
        await pilot.press("2")
        await pilot.pause()
        shown = screen.query_one(Chart).data
        assert shown is not None and shown.title == "Rounds shipped, forecast at the end of 2024-02"
        assert [s.y for s in shown.series if s.label == "reported later"] == [(5_200_000.0,)]


async def test_moving_the_cut_never_waits_for_the_backtest_and_the_newest_cut_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    cuts: list[str] = []

    def held(*args: Any, **kwargs: Any) -> Any:
        cuts.append(args[2])
        release.wait(timeout=20)
        return backtest(*args, **kwargs)

    monkeypatch.setattr(backtest_module, "backtest", held)
    app = Host(lambda: BacktestScreen(baseline(), read_observations(), "2024-02"))
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        assert isinstance(screen, BacktestScreen)
        await settle_until(pilot, lambda: cuts == ["2024-02"])
        await pilot.press("right", "right", "right", "left")  # answered at once, the backtest still held
        assert screen.until == "2024-04" and screen.shown is None
        # The note that work is under way names the newest cut.
        await settle_until(pilot, lambda: screen.verdict == "working… forecasting from the end of 2024-04")
        assert screen.verdict == "working… forecasting from the end of 2024-04"
        release.set()
        await screen.settled()
        assert cuts[0] == "2024-02" and cuts[-1] == "2024-04"  # the cuts moved past were not all worked out
        assert screen.shown is not None and screen.shown.result.until == "2024-04"
        assert screen.verdict.startswith("cut 2024-04: 7 known, 3 later scored")


async def test_a_cut_with_nothing_known_says_why_and_the_next_cut_recovers() -> None:
    app = Host(lambda: BacktestScreen(baseline(), read_observations(), "2023-09"))
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        assert isinstance(screen, BacktestScreen)
        await screen.settled()
        await pilot.pause()
        assert screen.verdict == (
            "✗ nothing is known by the end of 2023-09: the first observation within the projection "
            "is dated 2023-10-13; cut at 2023-10 or later"
        )
        await pilot.press("left")  # already at the first month: stays
        assert screen.until == "2023-09"
        await pilot.press("right")
        await screen.settled()
        await pilot.pause()
        assert screen.verdict.startswith("cut 2023-10: 1 known, 9 later scored")
