"""Pilot tests for the analysis views: the tornado chart, goal seek and the fit to observations."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Select, Static

from ammoflow.scenarios.analysis.fit import fit
from ammoflow.scenarios.analysis.seek import goal_seek
from ammoflow.scenarios.analysis.sensitivity import tornado
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import Scenario, baseline
from ammoflow.tui.dialogs import fit as fit_module
from ammoflow.tui.dialogs import seek as seek_module
from ammoflow.tui.dialogs.fit import FitScreen, _ParameterList, fitted_text
from ammoflow.tui.dialogs.seek import SeekChoice, SeekScreen
from ammoflow.tui.keys import TypeAhead
from ammoflow.tui.panels import tornado as tornado_module
from ammoflow.tui.panels.tornado import HIGH_GLYPH, LOW_GLYPH, TornadoBars, TornadoView
from ammoflow.tui.render.words import in_words

SMALL = (80, 24)
LARGE = (120, 40)


# -- helpers ------------------------------------------------------------------------


class Host(TypeAhead, App[None]):
    """Pushes one screen on mount and records what it is dismissed with."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


class TornadoHost(TypeAhead, App[None]):
    """A tornado view in a right-hand pane ``pane`` columns wide, as in the explorer."""

    def __init__(self, scenario: Scenario, pane: int = 42) -> None:
        super().__init__()
        self.scenario = scenario
        self.pane = pane
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("parameters", id="left")
            yield TornadoView(self.scenario, id="tornado")

    def on_mount(self) -> None:
        self.query_one("#left").styles.width = self.size.width - self.pane
        self.query_one(TornadoView).styles.width = self.pane

    @on(TornadoView.ParameterChosen, "#tornado")
    def _chosen(self, message: TornadoView.ParameterChosen) -> None:
        self.chosen.append(message.key)
        self.release_keys()  # held since Enter on the bar, as the explorer lets them go


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (a worker answered), or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


def status_of(screen: Screen[Any]) -> str:
    return str(screen.query_one("#status", Static).content)


def assert_fits(app: App[Any], *selectors: str) -> None:
    """The dialog and the named parts of it are inside the terminal and the dialog."""
    width, height = app.size
    dialog = app.screen.query_one("#dialog").region
    assert dialog.x >= 0 and dialog.y >= 0
    assert dialog.right <= width and dialog.bottom <= height, (dialog, app.size)
    for selector in selectors:
        part = app.screen.query_one(selector).region
        assert part.height > 0, selector
        assert dialog.contains_region(part), (selector, part, dialog)


class Gate:
    """Stands in for a slow analysis: each call waits until the test releases it."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.calls: list[tuple[Any, ...]] = []
        self.gates: list[threading.Event] = [threading.Event() for _ in range(8)]
        self.finished: list[int] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        index = len(self.calls)
        self.calls.append(args)
        self.gates[index].wait(timeout=10)
        try:
            return self.real(*args, **kwargs)
        finally:
            self.finished.append(index)

    def release(self, index: int | None = None) -> None:
        """Let call ``index`` (every call when None) go on."""
        for i, gate in enumerate(self.gates):
            if index is None or i == index:
                gate.set()


class ManualTimers:
    """Stands in for a view's timers: a timer fires when the test says so, not by the clock.

    Textual queues a timer's callback when the timer fires, so a timer stopped a moment
    later may still call back; :meth:`ManualTimer.fire` on a stopped timer is that call.
    """

    def __init__(self) -> None:
        self.timers: list[ManualTimer] = []

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None, **_: Any) -> ManualTimer:
        timer = ManualTimer(delay, callback)
        self.timers.append(timer)
        return timer


class ManualTimer:
    def __init__(self, delay: float, callback: Callable[[], Any] | None) -> None:
        self.delay = delay
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def fire(self) -> None:
        if self.callback is not None:
            self.callback()


# -- tornado ------------------------------------------------------------------------


def bar_keys(view: TornadoView) -> list[str]:
    shown = view.tornado
    assert shown is not None
    return [bar.key for bar in shown.bars]


@pytest.mark.parametrize("pane", [42, 58])
async def test_tornado_lists_parameters_sorted_by_swing_and_is_readable(pane: int) -> None:
    scenario = baseline()
    expected = tornado(scenario, "total_shortfall")
    app = TornadoHost(scenario, pane)
    async with app.run_test(size=SMALL if pane == 42 else LARGE) as pilot:
        view = app.query_one(TornadoView)
        await wait_for(pilot, lambda: view.tornado is not None)
        assert view.figure_key == "total_shortfall"
        assert bar_keys(view) == [bar.key for bar in expected.bars]
        swings = [bar.swing for bar in view.tornado.bars]  # type: ignore[union-attr]
        assert swings == sorted(swings, reverse=True) and swings[0] > swings[-1]

        bars = app.query_one(TornadoBars)
        assert bars.size.width >= pane - 2
        rows = bars.rows
        assert len(rows) == len(expected.bars)
        assert all(len(row) == len(rows[0]) <= bars.size.width for row in rows)
        # The largest effect first: its name, both of its figures and both bars.
        top = rows[0]
        assert top.startswith(" Russi") and "30.4M" in top and LOW_GLYPH in top and HIGH_GLYPH in top  # its label
        assert top.index("0 ") < top.index(LOW_GLYPH) < top.index(HIGH_GLYPH) < top.index("30.4M")
        # Every row is told apart by its name, and a parameter without effect says so.
        names = [row[1:].split("  ")[0] for row in rows]
        assert len(set(names)) == len(names)
        for bar, row in zip(expected.bars, rows, strict=True):
            assert ("no effect" in row) == (bar.swing == 0), row
        status = str(view.query_one("#tornado-status", Static).content)
        assert "1,170,000 rounds" in status and LOW_GLYPH in status and HIGH_GLYPH in status
        detail = str(view.query_one("#tornado-detail", Static).content)
        assert detail.startswith("Russian fire rate") and "30,390,000 rounds" in detail


async def test_tornado_follows_the_figure_chooser_and_the_bracket_keys() -> None:
    scenario = baseline()
    app = TornadoHost(scenario)
    async with app.run_test(size=SMALL) as pilot:
        view = app.query_one(TornadoView)
        await wait_for(pilot, lambda: view.tornado is not None)
        before = app.query_one(TornadoBars).rows

        app.query_one("#tornado-figure", Select).value = "nk_share_of_supply"
        await wait_for(pilot, lambda: view.tornado is not None and view.tornado.figure_key == "nk_share_of_supply")
        assert bar_keys(view) == [bar.key for bar in tornado(scenario, "nk_share_of_supply").bars]
        assert bar_keys(view)[0] == "ru_production"
        rows = app.query_one(TornadoBars).rows
        assert rows != before and "62.6%" in rows[0]
        assert "50.1%" in str(view.query_one("#tornado-status", Static).content)

        app.query_one(TornadoBars).focus()
        await pilot.press("left_square_bracket")  # the figure before the share: the average fired
        await wait_for(pilot, lambda: view.tornado is not None and view.tornado.figure_key == "average_fired_per_day")
        assert app.query_one("#tornado-figure", Select).value == "average_fired_per_day"


async def test_tornado_shows_a_scenario_change() -> None:
    scenario = baseline()
    app = TornadoHost(scenario)
    async with app.run_test(size=SMALL) as pilot:
        view = app.query_one(TornadoView)
        await wait_for(pilot, lambda: view.tornado is not None)
        base_before = view.tornado.base  # type: ignore[union-attr]
        changed = scenario.with_value("ru_production", 400_000)
        expected = tornado(changed, "total_shortfall")
        assert expected.base != base_before

        view.show(changed)
        await wait_for(pilot, lambda: view.tornado is not None)
        assert view.scenario == changed
        assert view.tornado.base == expected.base  # type: ignore[union-attr]
        assert bar_keys(view) == [bar.key for bar in expected.bars]
        status = str(view.query_one("#tornado-status", Static).content)
        assert status == f"base {tornado_module.format_value('total_shortfall', expected.base, changed)}  ░ low  █ high"


async def test_tornado_enter_on_a_bar_posts_its_parameter() -> None:
    app = TornadoHost(baseline())
    async with app.run_test(size=SMALL) as pilot:
        view = app.query_one(TornadoView)
        await wait_for(pilot, lambda: view.tornado is not None)
        keys = bar_keys(view)
        app.query_one(TornadoBars).focus()
        await pilot.press("down", "down", "up", "enter")
        await pilot.pause()
        assert app.chosen == [keys[1]]
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.chosen == [keys[1], keys[-1]]
        assert str(view.query_one("#tornado-detail", Static).content).splitlines()[1].startswith("no effect")


async def test_tornado_coalesces_and_drops_results_for_old_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(tornado)
    monkeypatch.setattr(tornado_module, "tornado", gate)
    clock = ManualTimers()
    monkeypatch.setattr(TornadoView, "set_timer", clock.set_timer)
    first = baseline()
    second = first.with_value("ru_fire_rate", 35_000)
    third = first.with_value("ru_fire_rate", 36_000)
    unused = first.with_value("ru_fire_rate", 37_000)  # asked for and superseded at once: never computed
    latest = first.with_value("ru_fire_rate", 38_000)
    app = TornadoHost(first)
    async with app.run_test(size=SMALL) as pilot:
        view = app.query_one(TornadoView)
        await wait_for(pilot, lambda: len(gate.calls) == 1)
        status = view.query_one("#tornado-status", Static)
        delay = clock.timers[-1]
        assert delay.delay == tornado_module.COMPUTING_DELAY
        view.show(unused)  # the first run is superseded, twice: only the newest waits for it
        view.show(second)
        await pilot.pause()
        assert "computing" not in str(status.content)  # not before the delay
        delay.fire()
        await pilot.pause()
        assert "computing…" in str(status.content)
        assert view.busy and view.tornado is None
        gate.release(0)  # the older scenario's answer comes back and is dropped
        await wait_for(pilot, lambda: len(gate.calls) == 2)  # then the newest runs, once
        assert view.tornado is None
        gate.release(1)
        await wait_for(pilot, lambda: view.tornado is not None)
        assert "computing" not in str(status.content)
        assert gate.finished == [0, 1]
        assert view.scenario == second and view.tornado == tornado(second, "total_shortfall")
        assert app.query_one(TornadoBars).rows[0].startswith(" Russi")  # Russian fire rate, cut or not
        assert f"{LOW_GLYPH} low" in str(status.content)
        # A delay stopped a moment too late still calls back: it says nothing about the next request.
        view.show(third)
        stale = clock.timers[-1]
        gate.release(2)
        await wait_for(pilot, lambda: view.tornado is not None and view.scenario == third)
        assert stale.stopped
        view.show(latest)
        current = clock.timers[-1]
        assert current is not stale
        stale.fire()
        await pilot.pause()
        assert "computing" not in str(status.content)
        current.fire()
        await pilot.pause()
        assert "computing…" in str(status.content)
        gate.release(3)
        await wait_for(pilot, lambda: view.tornado is not None and view.scenario == latest)
        assert len(gate.calls) == 4 and unused not in [call[0] for call in gate.calls]


async def test_tornado_says_it_is_computing_once_the_delay_has_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(tornado)
    monkeypatch.setattr(tornado_module, "tornado", gate)
    monkeypatch.setattr(tornado_module, "COMPUTING_DELAY", 0.01)
    app = TornadoHost(baseline())
    async with app.run_test(size=SMALL) as pilot:
        view = app.query_one(TornadoView)
        status = view.query_one("#tornado-status", Static)
        await wait_for(pilot, lambda: len(gate.calls) == 1)
        # Held at the gate, the answer cannot come first: only the delay brings the note.
        await wait_for(pilot, lambda: "computing…" in str(status.content))
        assert view.busy and view.tornado is None
        gate.release()
        await wait_for(pilot, lambda: view.tornado is not None)
        assert "computing" not in str(status.content)


# -- goal seek ------------------------------------------------------------------------


async def start_seek(pilot: Any, app: Host, target: str) -> SeekScreen:
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SeekScreen)
    screen.query_one("#target", Input).value = target
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.result is not None or status_of(screen).startswith("✗"))
    return screen


async def test_seek_finds_the_production_that_keeps_russia_firing_and_applies_it() -> None:
    scenario = baseline()
    expected = goal_seek(scenario, "ru_production", "first_shortfall_month", "never")
    assert expected.found and expected.value == pytest.approx(275_000, rel=0.01)
    app = Host(lambda: SeekScreen(scenario, "ru_production"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SeekScreen)
        assert screen.query_one("#parameter", Select).value == "ru_production"
        assert screen.query_one("#figure", Select).value == "first_shortfall_month"
        assert "YYYY-MM or never" in str(screen.query_one("#hint").render())
        await pilot.press(*"never", "enter")
        await wait_for(pilot, lambda: screen.result is not None)
        assert screen.can_apply and not screen.query_one("#apply", Button).disabled
        assert status_of(screen) == f"✓ {in_words(expected.message)}"  # labels, as on the sliders
        assert_fits(app, "#target", "#status", "#apply-note", "#buttons", "#keys")
        await pilot.press("enter")  # again: apply
        await pilot.pause()
        assert app.results == [SeekChoice("ru_production", expected.value)]
        assert not isinstance(app.screen, ModalScreen)


async def test_seek_apply_by_key_and_button_agree() -> None:
    scenario = baseline()
    expected = goal_seek(scenario, "containers_per_month", "total_shortfall", "2000000")
    app = Host(lambda: SeekScreen(scenario, "containers_per_month", figure="total_shortfall"))
    async with app.run_test(size=LARGE) as pilot:
        screen = await start_seek(pilot, app, "2M")  # the suffix is read as the slider fields read it
        assert screen.result == expected and screen.can_apply
        screen.query_one("#apply", Button).focus()
        await pilot.press("a")
        await pilot.pause()
        assert app.results == [
            SeekChoice("containers_per_month", registry.BY_KEY["containers_per_month"].rounded(expected.value))
        ]  # type: ignore[arg-type]


async def test_seek_unreachable_target_shows_the_message_and_offers_no_apply() -> None:
    scenario = baseline()
    expected = goal_seek(scenario, "ru_production", "total_shortfall", "100000000")
    assert not expected.found and "cannot be reached" in expected.message
    app = Host(lambda: SeekScreen(scenario, "ru_production", figure="total_shortfall"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_seek(pilot, app, "100M")
        assert status_of(screen) == in_words(expected.message)
        assert not screen.status.startswith("✓")
        assert not screen.can_apply and screen.query_one("#apply", Button).disabled
        assert not screen.query_one("#apply-note").display
        await pilot.press("enter")  # nothing to apply, and no second search
        screen.query_one("#parameter", Select).focus()
        await pilot.press("a")
        await pilot.pause(0.3)
        assert app.results == [] and app.screen is screen
        assert status_of(screen) == in_words(expected.message)


@pytest.mark.parametrize(
    ("make", "target", "words"),
    [
        (lambda s: SeekScreen(s, "ru_production"), "soon", 'a month (YYYY-MM) or "never"'),
        (lambda s: SeekScreen(s, "ru_production"), "2031-01", "outside the horizon"),
        (lambda s: SeekScreen(s, "ru_production", figure="total_shortfall"), "lots", "must be a number"),
        (lambda s: SeekScreen(s, "ru_production"), "", "type a target"),
        (lambda s: SeekScreen(s, "ru_production", figure="total_shortfall"), "1e999999999", "must be a number"),
    ],
)
async def test_seek_bad_target_shows_one_error_line(
    make: Callable[[Scenario], SeekScreen], target: str, words: str
) -> None:
    scenario = baseline()
    app = Host(lambda: make(scenario))
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_seek(pilot, app, target)
        status = status_of(screen)
        assert status.startswith("✗ ") and words in status and "\n" not in status
        assert screen.result is None and screen.query_one("#apply", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        await pilot.press("x")  # editing the target clears the message
        await pilot.pause()
        assert status_of(screen) == ""


async def test_seek_unknown_figure_or_parameter_is_one_error_line() -> None:
    app = Host(lambda: SeekScreen(baseline(), "ru_prodution", figure="shortfal"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SeekScreen)
        status = status_of(screen)
        assert status.startswith("✗ ") and "ru_production" in status and "\n" not in status


async def test_seek_escape_returns_none() -> None:
    app = Host(lambda: SeekScreen(baseline()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_seek_keys_work_while_searching(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(goal_seek)
    monkeypatch.setattr(seek_module, "goal_seek", gate)
    app = Host(lambda: SeekScreen(baseline(), "ru_production"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SeekScreen)
        await pilot.press(*"never", "enter")
        await wait_for(pilot, lambda: status_of(screen) == "working…")
        await pilot.press("enter")  # the same search again: not started twice
        await pilot.press("backspace", *"r")  # typing still works
        await pilot.pause()
        assert screen.query_one("#target", Input).value == "never"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        gate.release()
        assert len(gate.calls) == 1


def test_targets_are_read_as_people_type_them() -> None:
    # The dialog hands the target on as typed: the search reads it (so does `ammoflow seek`).
    from ammoflow.scenarios.analysis.seek import target_number

    scenario = baseline()
    assert target_number(scenario, "total_shortfall", "2M") == 2_000_000
    assert target_number(scenario, "total_shortfall", "1.5k rounds") == 1_500
    assert target_number(scenario, "total_shortfall", "15,000") == 15_000
    assert target_number(scenario, "nk_share_of_supply", "40%") == pytest.approx(0.4)
    assert target_number(scenario, "first_shortfall_month", " never ") == scenario.months


# -- fit ----------------------------------------------------------------------------


async def test_fit_default_selection_fits_containers_and_applies_the_values() -> None:
    scenario = baseline()
    observations = read_observations()
    expected = fit(scenario, ["containers_per_month"], observations)
    app = Host(lambda: FitScreen(scenario, observations))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        assert screen.selected == ("containers_per_month",)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.result is not None)
        assert status_of(screen).startswith("✓ fitted containers_per_month")
        assert screen.result == expected
        assert not screen.query_one("#apply", Button).disabled
        assert_fits(app, "#parameters", "#status", "#results", "#buttons", "#keys")
        await pilot.press("enter")  # again: apply
        await pilot.pause()
        assert app.results == [expected]


async def test_fit_marks_picked_parameters_without_colour() -> None:
    app = Host(lambda: FitScreen(baseline(), read_observations()))
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        parameters = app.screen.query_one(_ParameterList)

        def box(key: str) -> str:
            index = [option.value for option in parameters._options].index(key)
            text = parameters.render_line(index - parameters.scroll_offset.y).text
            return text[: text.index(registry.BY_KEY[key].label)]

        assert "X" in box("containers_per_month")
        assert "X" not in box("nk_capacity_russia")
        parameters.select("nk_capacity_russia")
        await pilot.pause()
        assert "X" in box("nk_capacity_russia")


async def test_fit_shows_values_scores_notes_verdicts_and_scales() -> None:
    scenario = baseline()
    observations = read_observations()
    keys = ["containers_per_month", "transit_months"]
    expected = fit(scenario, keys, observations)
    assert expected.uninformed == ("transit_months",)
    app = Host(lambda: FitScreen(scenario, observations, keys=keys))
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.result is not None)
        console = Console(width=96, record=True, color_system=None)
        console.print(screen.query_one("#result", Static).content)
        text = console.export_text()
        new = fitted_text(registry.BY_KEY["containers_per_month"], expected.values["containers_per_month"])
        assert f"1,100 → {new}" in text
        assert f"{expected.score_before:.4g} → {expected.score:.4g}" in text
        assert "note: the observations do not depend on Transit time to Russian stocks" in text
        for row in expected.rows:
            sign = "✓" if row.consistent else "✗"
            assert f"{row.day.isoformat()}  " in text and f"{sign} {row.verdict}" in text
        for claimant, estimate in expected.scales.items():
            assert f"{estimate.mean:.2f}" in text and claimant[:20] in text
        assert_fits(app, "#parameters", "#how", "#status", "#results", "#buttons", "#keys")
        await pilot.press("a")
        await pilot.pause()
        assert app.results == [expected]


async def test_fit_per_year_is_one_parameter_and_gives_its_steps() -> None:
    scenario = baseline()
    observations = read_observations()
    expected = fit(scenario, ["containers_per_month"], observations, per="year")
    app = Host(lambda: FitScreen(scenario, observations))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        screen.query_one("#mode", Select).value = "year"
        await pilot.pause()
        assert screen.query_one("#months", Input).disabled  # months are for "from months" only
        screen.query_one(_ParameterList).select("ru_fire_rate")
        await pilot.pause()
        assert status_of(screen) == "✗ a pace per period is fitted for one parameter: pick just one"
        screen.query_one(_ParameterList).deselect("ru_fire_rate")
        await pilot.pause()
        assert status_of(screen) == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.result is not None)
        assert status_of(screen).startswith("✓ fitted containers_per_month per period (2 steps)")
        assert screen.result == expected
        console = Console(width=96, record=True, color_system=None)
        console.print(screen.query_one("#result", Static).content)
        text = console.export_text()
        for step in expected.steps:
            assert (
                f"from {step.month}  1,100 → {fitted_text(registry.BY_KEY['containers_per_month'], step.value)}" in text
            )
        assert_fits(app, "#parameters", "#how", "#status", "#results", "#buttons", "#keys")


async def test_fit_from_months_reads_the_months_typed() -> None:
    scenario = baseline()
    observations = read_observations()
    app = Host(lambda: FitScreen(scenario, observations))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        screen.query_one("#mode", Select).value = "from"
        await pilot.pause()
        months = screen.query_one("#months", Input)
        assert not months.disabled and months.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert status_of(screen) == "✗ list the months the steps start, e.g. 2024-01,2024-07"
        await pilot.press(*"2024-13")
        await pilot.press("enter")
        await wait_for(pilot, lambda: status_of(screen).startswith("✗ steps from"))
        assert '"2024-13" is not a month' in status_of(screen)
        await pilot.press(*["backspace"] * 7, *"2024-06")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.result is not None)
        assert [step.month for step in screen.result.steps] == ["2023-09", "2024-06"]
        await pilot.press("enter")  # again: apply
        await pilot.pause()
        assert app.results == [screen.result]


async def test_one_undo_takes_a_whole_fitted_schedule_back() -> None:
    from pilot_waits import settle

    from ammoflow.tui.app import AmmoflowApp

    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot, app)
        before = app.explorer.workspace.scenario
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FitScreen))
        screen = app.screen
        assert isinstance(screen, FitScreen)
        screen.query_one("#mode", Select).value = "from"
        await pilot.pause()
        await pilot.press(*"2024-01,2024-07", "enter")
        await wait_for(pilot, lambda: screen.result is not None, timeout=60)
        await pilot.press("enter")  # apply
        await settle(pilot, app)
        after = app.explorer.workspace.scenario
        assert [c.month for c in after.changes] == ["2024-01", "2024-07"]
        assert after == screen.result.scenario
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == before  # every step at once
        await pilot.press("ctrl+y")
        await settle(pilot, app)
        assert app.explorer.workspace.scenario == after


async def test_fit_more_than_three_is_refused() -> None:
    app = Host(lambda: FitScreen(baseline(), read_observations()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        await pilot.press("home", "space", "down", "space", "down", "space")
        await pilot.pause()
        assert len(screen.selected) == 4
        assert status_of(screen) == "✗ pick at most three parameters: the observations cannot tell more apart"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.result is None and screen.query_one("#apply", Button).disabled
        assert status_of(screen).startswith("✗ pick at most three")
        await pilot.press("space")  # back to three: the message goes
        await pilot.pause()
        assert status_of(screen) == ""


async def test_fit_nothing_selected_asks_for_one() -> None:
    app = Host(lambda: FitScreen(baseline(), read_observations(), keys=()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert status_of(screen).startswith("✗ pick at least one")


async def test_fit_escape_returns_none() -> None:
    app = Host(lambda: FitScreen(baseline(), read_observations()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_fit_keys_work_while_fitting_and_a_stale_fit_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(fit)
    monkeypatch.setattr(fit_module, "fit", gate)
    app = Host(lambda: FitScreen(baseline(), read_observations()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FitScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: status_of(screen).startswith("working…"))
        assert len(gate.calls) == 1

        # The screen answers keys while the fit runs: the cursor moves, a parameter is picked.
        parameters = screen.query_one(_ParameterList)
        highlighted = parameters.highlighted
        await pilot.press("down", "space")
        await pilot.pause()
        assert parameters.highlighted == (highlighted or 0) + 1
        assert len(screen.selected) == 2
        assert status_of(screen) == ""  # the running fit is for another selection now

        gate.release()
        await wait_for(pilot, lambda: gate.finished == [0])
        await pilot.pause(0.1)
        assert screen.result is None  # its answer was dropped
        assert screen.query_one("#apply", Button).disabled

        await pilot.press("enter")  # fitting the two picked now
        await wait_for(pilot, lambda: screen.result is not None)
        assert screen.result is not None and screen.result.keys == screen.selected
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_fit_description_notes_a_value_at_the_end_of_its_range_and_bounds_it_cannot_meet() -> None:
    scenario = baseline().with_value("containers_per_month", 300)  # too few for "more than 10,000" by 2024-02
    result = fit(scenario, ["rockets_122_per_container"], read_observations())
    assert result.at_edge == ("rockets_122_per_container",)
    assert not result.met
    console = Console(width=120, record=True, color_system=None)
    console.print(fit_module.describe(result, scenario))
    text = console.export_text()
    assert "122 mm rockets per container  75 → 200 rounds/container" in text
    assert "note: 122 mm rockets per container ended at the high end of its range (10 to 200)" in text
    assert "note: no value meets every bound observed; the fit comes as near as it can" in text
    assert "date" in text and "verdict" in text and "✗ " in text
