"""The uncertainty settings let a user see and set which rates drift, checked like every field."""

from __future__ import annotations

import attrs
import pytest
from test_screens import SMALL, assert_fits, settings_of, text_on_screen
from textual.widgets import Input

from ammoflow.scenarios.model.scenario import Uncertainty, baseline
from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_the_drifting_rates_are_shown_and_the_form_fits(size: tuple[int, int]) -> None:
    scenario = attrs.evolve(baseline(), uncertainty=Uncertainty(drift={"containers_per_month": 4, "ru_fire_rate": 3}))
    app = settings_of(scenario)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#drift", Input).value == "containers_per_month 4, ru_fire_rate 3"
        assert "Drift" in text_on_screen(app)
        assert_fits(app, "#runs", "#seed", "#drift", "#ranges", "#buttons", "#keys")


@pytest.mark.parametrize(
    ("typed", "drift"),
    [
        ("ru_fire_rate", {"ru_fire_rate": None}),
        ("containers_per_month 4, ru_fire_rate", {"containers_per_month": 4.0, "ru_fire_rate": 4.0}),
        ("ru_production = 1.5%", {"ru_production": 1.5}),
        ("", {}),
    ],
)
async def test_the_drift_typed_is_what_the_settings_get(typed: str, drift: dict[str, float | None]) -> None:
    app = settings_of(attrs.evolve(baseline(), uncertainty=Uncertainty(seed=3, drift=["ru_production"])))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.query_one("#drift", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Uncertainty(seed=3, drift=drift)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ru_fire_rat 3", 'unknown parameter "ru_fire_rat"; did you mean "ru_fire_rate"?'),
        ("transit_months", "transit_months cannot drift: it is a whole number"),
        ("ru_fire_rate 80", "the drift of ru_fire_rate = 80% a month is outside its range: more than 0, at most 50"),
        ("ru_fire_rate fast", 'the drift of ru_fire_rate: "fast" is not a number'),
    ],
)
async def test_drift_that_cannot_be_is_shown_under_the_field_and_nothing_is_applied(typed: str, message: str) -> None:
    app = settings_of()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.query_one("#drift", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UncertaintyScreen)
        assert app.results == []
        assert message in screen.error("drift")
        screen.query_one("#drift", Input).value = "ru_fire_rate 3"  # typing again clears the message
        await pilot.pause()
        assert screen.error("drift") == ""
