"""Projected against observed: each observation beside the projection, with the model's verdict."""

from __future__ import annotations

from datetime import date

from pilot_waits import settle
from textual.widgets import DataTable

from ammoflow.scenarios.model.figures import projected_at
from ammoflow.scenarios.model.numbers import format_whole
from ammoflow.scenarios.model.observations import check
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.widgets.chart import Chart


def new_app() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    return app


async def test_every_observation_is_a_row_with_the_projection_at_its_date_and_its_verdict() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("0")
        await settle(pilot, app)
        table = app.query_one("#observed-table", DataTable)
        scenario, frame = app.explorer.result.scenario, app.explorer.result.frame
        observations = app.explorer.observations
        assert observations and table.row_count == len(observations)
        for row, observation in enumerate(observations):
            cells = [str(cell) for cell in table.get_row_at(row)]
            projected = projected_at(frame, scenario, observation).projected
            assert projected is not None
            verdict = check(observation, projected)
            assert cells[0] == observation.day.isoformat()
            assert cells[1] == ("✓" if verdict.consistent else "✗")
            assert cells[3] == format_whole(projected)
            assert cells[4] == verdict.text


async def test_the_chart_shows_the_chosen_observations_metric_with_the_cursor_on_its_month() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("0")
        await settle(pilot, app)
        observations = app.explorer.observations
        row = next(i for i, o in enumerate(observations) if o.metric == "cumulative_rounds")
        table = app.query_one("#observed-table", DataTable)
        table.focus()
        await pilot.press(*["down"] * row)
        await settle(pilot, app)
        chart = app.query_one(ObservedView).query_one(Chart)
        assert chart.data is not None and chart.data.title.startswith("Rounds")
        month = f"{observations[row].day:%Y-%m}"
        assert chart.cursor == app.explorer.result.scenario.month_labels().index(month)
        assert any(line.startswith(f"▸ {month} rounds") for line in chart.rows)


async def test_the_verdicts_follow_an_edit() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("0")
        await settle(pilot, app)
        table = app.query_one("#observed-table", DataTable)
        before = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        app.explorer.action_focus_parameter("containers_per_month")
        await pilot.press("pagedown")
        await settle(pilot, app)
        after = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert after != before
