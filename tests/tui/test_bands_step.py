"""A slider step with the uncertainty bands on: the line and its bands are drawn together, once.

The projection and the bands come from two jobs; a step asks for its bands once its
projection is in, but bands turned on meanwhile can come first. What the chart is given
to draw is recorded: a step must not be drawn without its bands and then again with them
(twice the work, and the bands flicker off and on), unless the bands are slow to come.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pilot_waits import settle, settle_until
from textual.widget import Widget

from ammoflow.scenarios.analysis.montecarlo import Stopped
from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui import explorer_drawing
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.explorer import ExplorerScreen
from ammoflow.tui.panels import bands as bands_module
from ammoflow.tui.render.chart_data import ChartData
from ammoflow.tui.widgets.chart import Chart


@pytest.fixture(autouse=True)
def computed_when_the_key_comes(monkeypatch: pytest.MonkeyPatch) -> None:
    """These steps are computed when their key comes, as every step is whose answer is not known
    ahead (tests/tui/test_step_answers.py has those that are): no look-ahead."""
    monkeypatch.setattr(ExplorerScreen, "looks_ahead", False)


def has_bands(data: ChartData) -> bool:
    return any(series.kind == "band" for series in data.series)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[ChartData]:
    """Every chart data the explorer gives a chart to draw, in order."""
    shown: list[ChartData] = []
    original = Chart.show

    def show(chart: Chart, data: ChartData) -> None:
        shown.append(data)
        original(chart, data)

    monkeypatch.setattr(Chart, "show", show)
    return shown


class Gate:
    """Holds a function's calls once closed, until opened; the first calls (the start) pass."""

    def __init__(self) -> None:
        self.closed = False
        self.open = threading.Event()
        self.waiting = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            if self.closed:
                self.waiting += 1
                self.open.wait(timeout=30)
            return function(*args, **kwargs)

        return held


async def step_with_bands_on(
    app: AmmoflowApp, pilot: Any, gate: Gate, drawn: list[ChartData]
) -> tuple[Scenario, Scenario]:
    """Bands on and drawn; then a step, with ``gate`` closed. The scenarios before and after."""
    await settle(pilot, app)
    await pilot.press("u")
    await settle(pilot, app)
    assert app.explorer.bands_current and drawn and has_bands(drawn[-1])
    before = app.explorer.workspace.scenario
    gate.closed = True
    drawn.clear()
    await pilot.press("right")
    assert app.explorer.workspace.scenario != before
    return before, app.explorer.workspace.scenario


async def test_a_step_waits_for_its_bands_and_is_drawn_once_with_them(
    monkeypatch: pytest.MonkeyPatch, drawn: list[ChartData]
) -> None:
    gate = Gate()
    monkeypatch.setattr(bands_module, "simulate_bands", gate.wrap(bands_module.simulate_bands))
    monkeypatch.setattr(explorer_drawing, "BANDS_WAIT", 60.0)  # never run out in this test
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, stepped = await step_with_bands_on(app, pilot, gate, drawn)
        await settle_until(pilot, lambda: app.explorer.result is not None and app.explorer.result.scenario == stepped)
        await pilot.pause(0.1)
        assert drawn == []  # the step's projection is in, but waits for its bands
        gate.open.set()
        await settle(pilot, app)
        assert len(drawn) == 1 and has_bands(drawn[0])
        assert app.explorer.bands_current


async def test_bands_slower_than_the_wait_follow_the_line(
    monkeypatch: pytest.MonkeyPatch, drawn: list[ChartData]
) -> None:
    gate = Gate()
    monkeypatch.setattr(bands_module, "simulate_bands", gate.wrap(bands_module.simulate_bands))
    monkeypatch.setattr(explorer_drawing, "BANDS_WAIT", 0.01)
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await step_with_bands_on(app, pilot, gate, drawn)
        await settle_until(pilot, lambda: len(drawn) == 1)
        assert not has_bands(drawn[0])  # the line moved without waiting any longer
        gate.open.set()
        await settle(pilot, app)
        assert len(drawn) == 2 and has_bands(drawn[1])


async def test_bands_that_come_before_their_projection_wait_for_it(
    monkeypatch: pytest.MonkeyPatch, drawn: list[ChartData]
) -> None:
    """A step's bands are asked for once its projection is in; bands turned on while a projection
    is still being computed can still come first."""
    gate = Gate()
    monkeypatch.setattr(explorer_drawing, "project", gate.wrap(project))
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = app.explorer.workspace.scenario
        gate.closed = True
        drawn.clear()
        await pilot.press("right")
        stepped = app.explorer.workspace.scenario
        assert stepped != before
        await settle_until(pilot, lambda: gate.waiting == 1)
        await pilot.press("u")  # the bands of the stepped scenario, while its projection is held
        view = app.explorer.query_one("#fan-status")
        await settle_until(pilot, lambda: app.explorer.bands is not None and app.explorer.bands.scenario == stepped)
        await pilot.pause(0.1)
        # Drawn now, the bands would not match the line on screen (the last step's), which would
        # lose its bands for a frame: the chart waits for the projection.
        assert drawn == [] and view.display
        gate.open.set()
        await settle(pilot, app)
        assert len(drawn) == 1 and has_bands(drawn[0])


async def test_a_step_asks_for_its_bands_once_its_projection_is_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bands' Monte Carlo runs after the step's projection, not beside it: the two share the
    interpreter, and together each waits out the other's turns (see benchmarks/bands_step.py)."""
    gate = Gate()
    monkeypatch.setattr(explorer_drawing, "project", gate.wrap(project))
    simulated: list[Scenario] = []
    original = bands_module.simulate_bands

    def simulate(scenario: Scenario, *args: Any, **kwargs: Any) -> Any:
        simulated.append(scenario)
        return original(scenario, *args, **kwargs)

    monkeypatch.setattr(bands_module, "simulate_bands", simulate)
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        simulated.clear()
        gate.closed = True
        await pilot.press("right")
        stepped = app.explorer.workspace.scenario
        await settle_until(pilot, lambda: gate.waiting == 1)
        await pilot.pause(0.1)
        assert simulated == []  # the projection is held: no Monte Carlo beside it
        gate.open.set()
        await settle(pilot, app)
        assert simulated == [stepped] and app.explorer.bands_current


async def test_a_step_with_the_bands_on_lays_nothing_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The step redraws the chart and the figures in place: no widget asks for the screen to be
    laid out again (a whole-screen layout and repaint, on every step), the bands' status line
    included when its words are the same."""
    from ammoflow.tui.panels.parameters import ParametersPanel

    asking: list[str] = []
    recording = False
    original = Widget.refresh

    def refresh(widget: Widget, *regions: Any, layout: bool = False, **options: Any) -> Widget:
        if layout and recording:
            asking.append(type(widget).__name__)
        return original(widget, *regions, layout=layout, **options)

    monkeypatch.setattr(Widget, "refresh", refresh)
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("right")
        await settle(pilot, app)
        for _ in range(3):
            recording = True
            await pilot.press("right")
            await settle(pilot, app)
            recording = False
            assert app.explorer.bands_current
        assert asking == []


async def test_closing_the_explorer_stops_a_monte_carlo_still_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python waits for the jobs' threads as it exits: a long run must stop, not keep the closing program waiting."""
    running = threading.Event()
    stopped_seen = threading.Event()

    def endless(scenario: Scenario, stopped: Callable[[], bool], *args: Any, **kwargs: Any) -> Any:
        running.set()
        for _ in range(6_000):  # about a minute unless told to stop
            if stopped():
                stopped_seen.set()
                raise Stopped
            threading.Event().wait(0.01)
        raise AssertionError("never told to stop")

    monkeypatch.setattr(bands_module, "simulate_bands", endless)
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle_until(pilot, running.is_set)
    assert stopped_seen.wait(timeout=30)  # told as the app closed, not after its minute
