"""The month-by-month table: every output column, the numbers whole, the cursor's month highlighted."""

from __future__ import annotations

from datetime import date

from pilot_waits import settle

from ammoflow.scenarios.model.columns import NUMBER_COLUMNS
from ammoflow.scenarios.model.numbers import format_whole
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.month_table import ORDER, MonthTable
from ammoflow.tui.widgets.chart import Chart


def new_app() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    return app


async def test_the_table_holds_every_output_column_of_every_month_as_whole_numbers() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        table = app.query_one(MonthTable)
        frame = app.explorer.result.frame
        assert sorted(ORDER) == sorted(NUMBER_COLUMNS)
        assert table.row_count == frame.height
        assert len(table.columns) == len(NUMBER_COLUMNS) + 1
        for row in (0, 20, frame.height - 1):
            cells = [str(cell) for cell in table.get_row_at(row)]
            assert cells[0] == frame["month"][row]
            assert cells[1:] == [format_whole(frame[name][row]) for name in ORDER]


async def test_the_table_follows_an_edit() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        table = app.query_one(MonthTable)
        column = 1 + ORDER.index("ru_stock")
        before = str(table.get_row_at(30)[column])
        app.explorer.action_focus_parameter("ru_stock_initial")
        await pilot.press("right")
        await settle(pilot, app)
        after = str(app.query_one(MonthTable).get_row_at(30)[column])
        assert after != before
        assert after == format_whole(app.explorer.result.frame["ru_stock"][30])


async def test_the_cursor_month_is_the_highlighted_row_and_moving_it_moves_the_cursor() -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        table = app.query_one(MonthTable)
        assert not table.show_cursor, "no cursor, no highlight"
        await pilot.press("c")
        await settle(pilot, app)
        labels = app.explorer.workspace.scenario.month_labels()
        assert table.show_cursor and table.has_focus
        assert table.cursor_row == labels.index("2025-06")
        await pilot.press("down", "down")
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2025-08"
        await pilot.press("1")
        await settle(pilot, app)
        assert any(row.startswith("▸ 2025-08") for row in app.query_one("#chart-containers", Chart).rows)
        await pilot.press("right_square_bracket", "9")
        await settle(pilot, app)
        assert app.query_one(MonthTable).cursor_row == labels.index("2025-09")
