"""Slider steps answered from what was worked out ahead: drawn at once, and never for another scenario.

While the screen is idle the explorer works out the focused slider's next steps (up and down,
their projection and, with the bands on, their bands) and keeps the last few answers. A step
that lands on one is drawn in its key's turn, with no job. Whatever is shown must be what a
fresh computation of the scenario on screen gives: another parameter changed, other runs, or
the bands given the observations all make another answer.
"""

from __future__ import annotations

from datetime import date

import attrs
import numpy as np
import polars as pl
import pytest
from pilot_waits import settle

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model.figures import key_figures
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario, Uncertainty
from ammoflow.tui import explorer_drawing
from ammoflow.tui.answers import KEEP, Answers
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.explorer import ExplorerScreen
from ammoflow.tui.explorer_base import Projection
from ammoflow.tui.panels.bands import Bands, BandsStatus
from ammoflow.tui.panels.parameters import ParametersPanel

TODAY = date(2025, 6, 15)


@pytest.fixture
def projected(monkeypatch: pytest.MonkeyPatch) -> list[Scenario]:
    """Every scenario the explorer projects, in order (the look-ahead's too)."""
    seen: list[Scenario] = []

    def counted(scenario: Scenario) -> pl.DataFrame:
        seen.append(scenario)
        return project(scenario)

    monkeypatch.setattr(explorer_drawing, "project", counted)
    return seen


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Bands, Scenario, bool]]:
    """Every set of bands a step took from the answers known: with the scenario and mode on screen then."""
    seen: list[tuple[Bands, Scenario, bool]] = []
    original = BandsStatus.take

    def take(view: BandsStatus, bands: Bands) -> None:
        explorer = view.screen
        assert isinstance(explorer, ExplorerScreen)
        seen.append((bands, explorer.workspace.scenario, view.given))
        original(view, bands)

    monkeypatch.setattr(BandsStatus, "take", take)
    return seen


def app_today() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: TODAY
    return app


def assert_fresh(app: AmmoflowApp) -> None:
    """What is shown is what computing the scenario on screen now gives."""
    explorer = app.explorer
    scenario = explorer.workspace.scenario
    result = explorer.result
    assert result is not None and result.scenario == scenario
    assert result.frame.equals(project(scenario))
    assert result.figures == key_figures(result.frame, scenario, explorer.observations, month_of(TODAY))


def assert_fresh_bands(app: AmmoflowApp) -> None:
    explorer = app.explorer
    bands = explorer.bands
    scenario = explorer.workspace.scenario
    assert bands is not None and explorer.bands_current
    assert bands.scenario == scenario and (bands.given is not None) == explorer.fans_given
    view = explorer.query_one(BandsStatus)
    fresh = view.compute(scenario, explorer.fans_given, lambda: False)
    for column, percentiles in fresh.fans.items():
        for q, values in percentiles.items():
            np.testing.assert_array_equal(np.asarray(bands.fans[column][q]), np.asarray(values))


async def test_a_step_worked_out_ahead_is_drawn_in_its_keys_turn(
    projected: list[Scenario], taken: list[tuple[Bands, Scenario, bool]]
) -> None:
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)  # the bands drawn, then the next steps worked out
        explorer = app.explorer
        assert explorer.answers_kept[0] >= 3 and explorer.answers_kept[1] >= 3  # the value shown, one up, one down
        projected.clear()
        await pilot.press("right")
        stepped = explorer.workspace.scenario
        # Drawn with the key: nothing projected for it, no job under way, the bands on screen.
        assert stepped not in projected
        assert explorer.result is not None and explorer.result.scenario == stepped
        assert not explorer.busy and explorer.bands_current
        assert [bands.scenario for bands, _, _ in taken] == [stepped]
        assert_fresh(app)
        await settle(pilot, app)
        assert_fresh_bands(app)


async def test_a_step_back_is_drawn_from_the_answer_kept(projected: list[Scenario]) -> None:
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        start = app.explorer.workspace.scenario
        for key in ("right", "right", "right"):
            await pilot.press(key)
            await settle(pilot, app)
        projected.clear()
        for key in ("left", "left", "left"):
            await pilot.press(key)
            assert_fresh(app)
            await settle(pilot, app)
        assert app.explorer.workspace.scenario == start
        assert start not in projected


async def test_after_another_parameter_changes_a_step_shows_the_new_scenario(
    taken: list[tuple[Bands, Scenario, bool]],
) -> None:
    """The first slider's next steps were worked out; another parameter changes; the first steps again."""
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        before = app.explorer.workspace.scenario
        await pilot.press("down", "left", "left", "up")  # another slider, two steps down; back to the first
        await settle(pilot, app)
        changed = [key for key, value in app.explorer.workspace.scenario.values.items() if before.values[key] != value]
        assert len(changed) == 1 and changed != [app.explorer.query_one(ParametersPanel).focused_key]
        await pilot.press("right")
        assert_fresh(app)
        await settle(pilot, app)
        assert_fresh(app)
        assert_fresh_bands(app)
        assert all(bands.scenario == scenario for bands, scenario, _ in taken)


async def test_bands_given_the_observations_are_never_those_on_all_assumptions(
    monkeypatch: pytest.MonkeyPatch, taken: list[tuple[Bands, Scenario, bool]]
) -> None:
    """The next steps' bands on all assumptions are known; the bands turn to "given"; a step follows."""
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        monkeypatch.setattr(ExplorerScreen, "looks_ahead", False)  # only the all-assumption bands are known
        await pilot.press("o")
        await settle(pilot, app)
        await pilot.press("right")
        assert_fresh(app)  # the projection was known: the same whatever the bands
        await settle(pilot, app)
        assert_fresh_bands(app)
        assert app.explorer.fans_given
        assert all((bands.given is not None) == given for bands, _, given in taken)


async def test_a_step_after_the_runs_change_uses_none_of_the_bands_of_the_old_runs(
    taken: list[tuple[Bands, Scenario, bool]],
) -> None:
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        explorer = app.explorer
        await pilot.press("U")  # the uncertainty settings: 1,500 runs
        await pilot.pause()
        await pilot.press(*"1500", "enter")
        await settle(pilot, app)
        assert explorer.workspace.scenario.uncertainty.runs == 1_500
        await pilot.press("right")
        await settle(pilot, app)
        assert_fresh_bands(app)
        assert explorer.bands is not None and explorer.bands.runs == 1_500
        assert all(bands.scenario == scenario for bands, scenario, _ in taken)


async def test_keys_held_down_act_in_order_and_end_on_the_last_value() -> None:
    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        panel = app.explorer.query_one(ParametersPanel)
        key = panel.focused_key
        assert key is not None
        start = app.explorer.workspace.scenario.values[key]
        await pilot.press(*["right"] * 12, *["left"] * 5)
        await settle(pilot, app)
        assert app.explorer.workspace.scenario.values[key] == panel.row(key).value == panel.row(key).slider.stepped(0)
        assert app.explorer.workspace.scenario.values[key] != start
        assert_fresh(app)
        assert_fresh_bands(app)


# -- the store itself ---------------------------------------------------------------------------


def projection_of(scenario: Scenario, baseline: Scenario | None = None, as_of: int = 600) -> Projection:
    frame = project(scenario)
    figures = key_figures(frame, scenario, (), as_of)
    return Projection(scenario, frame, figures, (baseline or scenario, frame, figures), as_of)


def bands_of(scenario: Scenario, given: bool = False, as_of: int | None = 600) -> Bands:
    return Bands(scenario, {}, scenario.uncertainty.runs, "given" if given else None, as_of=as_of)


def test_a_projection_is_found_only_for_everything_it_was_computed_with() -> None:
    answers = Answers()
    scenario = presets.load("baseline")
    observations: tuple[Observation, ...] = ()
    answers.keep_projection(projection_of(scenario), observations, 600)
    assert answers.projection(scenario, scenario, observations, 600) is not None
    other = scenario.with_value("containers_per_month", scenario.values["containers_per_month"] + 10)
    assert answers.projection(other, other, observations, 600) is None  # another value
    assert answers.projection(scenario, other, observations, 600) is None  # another baseline
    assert answers.projection(scenario, scenario, observations, 601) is None  # figures "as of" another month
    assert answers.projection(scenario, scenario, read_observations()[:1], 600) is None  # other observations


def test_bands_are_found_only_for_their_scenario_settings_and_mode() -> None:
    answers = Answers()
    scenario = presets.load("baseline")
    answers.keep_bands(bands_of(scenario), ())
    assert answers.bands(scenario, False, (), 600) is not None
    assert answers.bands(scenario, True, (), 600) is None  # given the observations
    for settings in (Uncertainty(runs=2_000), Uncertainty(seed=7), Uncertainty(distribution="uniform")):
        assert answers.bands(attrs.evolve(scenario, uncertainty=settings), False, (), 600) is None
    assert answers.bands(scenario, False, (), 601) is None
    answers.keep_bands(bands_of(scenario, given=True), ())
    found = answers.bands(scenario, True, (), 600)
    assert found is not None and found.given is not None


def test_the_most_recent_answers_are_kept() -> None:
    answers = Answers()
    base = presets.load("baseline")
    scenarios = [base.with_value("containers_per_month", 500.0 + 10 * i) for i in range(KEEP + 2)]
    for scenario in scenarios:
        answers.keep_bands(bands_of(scenario), ())
    assert answers.bands(scenarios[0], False, (), 600) is None and answers.bands(scenarios[1], False, (), 600) is None
    assert all(answers.bands(s, False, (), 600) is not None for s in scenarios[2:])
    assert answers.counts() == (0, KEEP)


@pytest.mark.parametrize("bands", [False, True])
async def test_a_step_worked_out_ahead_shows_the_chart_laid_out_ahead_as_drawing_it_gives(bands: bool) -> None:
    from textual.widgets import TabbedContent

    from ammoflow.tui.render.chart_layout import lay_out
    from ammoflow.tui.render.plotext_canvas import Canvas
    from ammoflow.tui.widgets.chart import Chart

    app = app_today()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        if bands:
            await pilot.press("u")
        await settle(pilot, app)
        explorer = app.explorer
        chart = explorer.query_one(f"#chart-{explorer.query_one('#tabs', TabbedContent).active}", Chart)
        for key in ("right", "right", "left"):
            before = chart.laid_out_ahead
            await pilot.press(key)
            await settle(pilot, app)
            assert chart.laid_out_ahead == before + 1  # the step took the rows laid out ahead
            assert chart.data is not None and any(series.kind == "band" for series in chart.data.series) == bands
            fresh = lay_out(chart.data, chart.size.width, chart.size.height, Canvas(), chart.cursor)
            assert chart.rows == [text for text, _ in fresh.rows]
