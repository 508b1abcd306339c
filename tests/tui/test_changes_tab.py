"""The Changes tab as a user meets it: rows in full, one key away, schedules drawn, sliders saying what follows."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_waits import settle
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ammoflow.scenarios.model.scenario import Change, baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.changes import ScheduleView, schedule_lines
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.render.sparkline import sparkline

pytestmark = pytest.mark.usefixtures("private_state")


def table_lines(app: AmmoflowApp) -> list[str]:
    table = app.query_one("#changes-table", DataTable)
    return [table.render_line(y).text for y in range(table.row_count + 1)]


async def add_change(pilot: Pilot[Any], app: AmmoflowApp, key: str, month: str, value: str, over: str = "") -> None:
    app.query_one(ParametersPanel).focus_parameter(key)
    await pilot.press("a")
    await pilot.pause()
    app.screen.query_one("#month", Input).value = month
    if over:
        app.screen.query_one("#over", Input).value = over
    field = app.screen.query_one("#value", Input)
    field.value = value
    field.focus()
    await pilot.press("enter")
    await settle(pilot, app)


async def test_a_change_added_while_the_table_is_shown_is_shown_in_full() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await add_change(pilot, app, "nk_capacity_russia", "2025-01", "150000")
        _header, row = table_lines(app)
        assert "2025-01" in row
        assert "150,000 rounds/month" in row
        assert "at once" in row


async def test_7_puts_the_keyboard_in_the_changes_table() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_change(pilot, app, "ru_fire_rate", "2025-01", "30000")
        await add_change(pilot, app, "containers_per_month", "2024-06", "700")
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("7", "down", "x")
        await settle(pilot, app)
        assert [(c.month, c.parameter) for c in app.explorer.workspace.scenario.changes] == [
            ("2024-06", "containers_per_month")
        ]


async def test_a_slider_says_where_its_changes_take_it_and_from_when() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_change(pilot, app, "nk_capacity_russia", "2025-01", "100000", over="6")
        row = app.query_one(ParametersPanel).row("nk_capacity_russia")
        note = row.query_one(".row--then", Static)
        assert note.display
        assert str(note.render()) == "↳ then 100,000 from 2025-01 over 6 months"
        unchanged = app.query_one(ParametersPanel).row("ru_fire_rate")
        assert not any(note.display for note in unchanged.query(".row--then"))  # the line is made when first needed


async def test_the_schedule_of_each_changing_parameter_is_drawn_under_the_table() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_change(pilot, app, "containers_per_month", "2025-09", "0", over="3")
        await pilot.press("c")
        await pilot.pause()
        lines = app.query_one(ScheduleView).lines()
        assert lines[0] == "Shipment rate: 1,100 → 0 containers/month"
        assert lines[1] == "█" * 24 + "▆▅▃" + "▁" * 21  # 2025-09 is the 25th month
        assert lines[2].startswith("2023-09") and lines[2].endswith("2027-08")


def test_a_sparkline_spans_lowest_to_highest_and_never_outgrows_its_width() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5, 5], 10) == "▄▄▄"
    assert sparkline(list(range(100)), 10) == "▂▂▃▄▄▅▆▇▇█"  # each character the last of its ten
    assert sparkline([], 5) == ""


def test_schedule_lines_fit_the_width_given() -> None:
    scenario = baseline().with_changes([Change("2025-01", "nk_capacity_russia", 100_000, 6)])
    for width in (10, 30, 48, 100):
        lines = schedule_lines(scenario, width)
        assert all(len(line) <= width for line in lines), width
    assert len(schedule_lines(scenario, 100)[1]) == 48  # a month a character when there is room
    assert schedule_lines(baseline(), 80) == []
