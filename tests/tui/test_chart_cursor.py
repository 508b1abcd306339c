"""The charts' cursor in the explorer: `c` puts it on a month, the keys move it, the readout follows."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from pilot_waits import settle

from ammoflow.scenarios.model.numbers import format_compact_table
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui import explorer_drawing as explorer_module  # where the explorer projects
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.widgets.chart import Chart

TODAY = date(2025, 6, 15)


def chart_text(app: AmmoflowApp, tab: str) -> str:
    return "\n".join(app.query_one(f"#chart-{tab}", Chart).rows)


def readout(app: AmmoflowApp, tab: str) -> str:
    """The readout rows: those under the title starting at the cursor's sign."""
    rows = app.query_one(f"#chart-{tab}", Chart).rows
    start = next(i for i, row in enumerate(rows) if row.startswith("▸"))
    return "\n".join(row for row in rows[start : start + 4] if "┤" not in row and "│" not in row)


def value_at(app: AmmoflowApp, column: str, month: str, *, per_day: bool = False) -> str:
    frame = app.explorer.result.frame
    (row,) = frame.filter(frame["month"] == month).to_dicts()
    return format_compact_table(row[column] / row["days"] if per_day else row[column])


def new_app() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: TODAY
    return app


async def test_c_puts_the_cursor_on_the_present_and_the_arrows_move_it_month_by_month() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("2", "c")
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2025-06"
        assert "▸ 2025-06 rounds" in readout(app, "rounds")
        assert f"projected {value_at(app, 'cumulative_rounds', '2025-06')}" in readout(app, "rounds")
        await pilot.press("right", "right", "left", "right")
        await settle(pilot, app)
        assert "▸ 2025-08 rounds" in readout(app, "rounds")
        assert f"projected {value_at(app, 'cumulative_rounds', '2025-08')}" in readout(app, "rounds")
        await pilot.press("end")
        await settle(pilot, app)
        assert "▸ 2027-08" in readout(app, "rounds"), "End: the last month"
        await pilot.press("right")
        await settle(pilot, app)
        assert "▸ 2027-08" in readout(app, "rounds"), "it stops at the last month"
        await pilot.press("home")
        await settle(pilot, app)
        assert "▸ 2023-09" in readout(app, "rounds"), "Home: the first month"
        await pilot.press("c")
        await settle(pilot, app)
        assert app.explorer.cursor_month is None
        assert "▸" not in chart_text(app, "rounds")


async def test_turning_the_cursor_off_gives_the_arrows_back_to_the_slider() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("c", "right")
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2025-07", "with the cursor on, the arrows move it"
        assert app.explorer.workspace.scenario.values["containers_per_month"] == 1100
        await pilot.press("c", "right")
        await settle(pilot, app)
        assert app.explorer.cursor_month is None
        assert app.explorer.workspace.scenario.values["containers_per_month"] > 1100, "the arrows step the slider again"


async def test_the_cursor_keeps_its_month_across_tabs_and_edits_and_reads_the_new_values() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("4", "c", "right")
        await settle(pilot, app)
        front = readout(app, "front")
        assert "▸ 2025-07" in front
        for label, column in (("demand", "ru_demand"), ("fired", "ru_fired"), ("shortfall", "ru_shortfall")):
            assert f"{label} {value_at(app, column, '2025-07', per_day=True)}" in front, "rounds a day"
        await pilot.press("3")
        await settle(pilot, app)
        assert "▸ 2025-07" in readout(app, "stocks")
        before = value_at(app, "ru_stock", "2025-07")
        assert f"Russia {before}" in readout(app, "stocks")
        app.query_one(ParametersPanel).focus_parameter("ru_stock_initial")
        await pilot.press("right")
        await settle(pilot, app)
        after = value_at(app, "ru_stock", "2025-07")
        assert after != before
        assert "▸ 2025-07" in readout(app, "stocks"), "the month stays"
        assert f"Russia {after}" in readout(app, "stocks"), "the value follows the projection"
        await pilot.press("right_square_bracket")  # from the slider too: the brackets move it
        await settle(pilot, app)
        assert "▸ 2025-08" in readout(app, "stocks")


async def test_moving_the_cursor_does_not_project(monkeypatch: pytest.MonkeyPatch) -> None:
    app = new_app()
    calls: list[Scenario] = []
    real = explorer_module.project

    def counted(scenario: Scenario) -> pl.DataFrame:
        calls.append(scenario)
        return real(scenario)

    monkeypatch.setattr(explorer_module, "project", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        projected = len(calls)
        await pilot.press("c", *["right"] * 5, "home", "end", "left_square_bracket")
        await settle(pilot, app)
        assert "▸ 2027-07" in readout(app, "containers")
        assert len(calls) == projected


async def test_the_readout_gives_the_bands_percentiles_when_they_are_on() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("u", "c")
        await settle(pilot, app)
        shown = readout(app, "containers")
        fans = app.explorer.bands.fans["cumulative_containers"]
        index = app.explorer.workspace.scenario.month_labels().index("2025-06")
        low, high, middle = (format_compact_table(fans[q][index]) for q in (5, 95, 50))
        assert f"5-95% {low}–{high}" in shown
        assert f"median {middle}" in shown


def plot_cells(chart: Chart) -> tuple[int, list[int]]:
    """The chart's first plot column and its plot rows, read off the axes as drawn."""
    rows = chart.rows
    axis = next(i for i, row in enumerate(rows) if "└" in row)
    y_axis = rows[axis].index("└")
    return y_axis + 1, [i for i in range(axis) if rows[i][y_axis : y_axis + 1] in ("┤", "│")]


async def test_a_click_on_the_plot_puts_the_cursor_on_the_month_under_the_pointer() -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        chart = app.query_one("#chart-containers", Chart)
        left, plot_rows = plot_cells(chart)
        middle = plot_rows[len(plot_rows) // 2]
        assert app.explorer.cursor_month is None
        await pilot.click(chart, offset=(left, middle))
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2023-09", "the cursor goes on, on the first month"
        assert "▸ 2023-09" in readout(app, "containers")
        await pilot.click(chart, offset=(chart.size.width - 1, middle))
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2027-08"
        # A month in between: the rule is drawn in the column clicked, the readout names its month.
        column = left + (chart.size.width - left) // 3
        await pilot.click(chart, offset=(column, middle))
        await settle(pilot, app)
        month = app.explorer.cursor_month
        assert month not in (None, "2023-09", "2027-08")
        assert f"▸ {month}" in readout(app, "containers")
        left, plot_rows = plot_cells(chart)  # the readout took rows: the plot moved down
        assert any(chart.rows[y][column] == "│" for y in plot_rows)
        assert not any(chart.rows[y][column + 2] == "│" for y in plot_rows)


async def test_a_cursor_a_click_turned_on_gives_the_arrows_back_to_the_slider_when_turned_off() -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.pause()
        chart = app.query_one("#chart-containers", Chart)
        left, plot_rows = plot_cells(chart)
        await pilot.click(chart, offset=(left + 5, plot_rows[len(plot_rows) // 2]))
        await settle(pilot, app)
        assert app.explorer.cursor_month is not None
        await pilot.press("c", "right")
        await settle(pilot, app)
        assert app.explorer.cursor_month is None
        assert app.explorer.workspace.scenario.values["containers_per_month"] > 1100, "the arrows step the slider again"


async def test_a_click_off_the_plot_leaves_the_cursor_where_it_was() -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        chart = app.query_one("#chart-containers", Chart)
        left, plot_rows = plot_cells(chart)
        for offset in ((left, 0), (0, plot_rows[1]), (left + 3, chart.size.height - 1)):  # title, y labels, legend
            await pilot.click(chart, offset=offset)
            await settle(pilot, app)
            assert app.explorer.cursor_month is None, offset
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.click(chart, offset=(left + 3, chart.size.height - 1))
        await settle(pilot, app)
        assert app.explorer.cursor_month == "2025-06"


async def test_with_the_bands_on_the_readout_still_gives_both_stocks_at_120x40() -> None:
    """Two lines and their four bands: the readout keeps every line's value and every band's
    range, the lines first, where it once ran out of room after three bands."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("3", "u")
        await settle(pilot, app)
        await pilot.press("c", "right", "right")
        await settle(pilot, app)
        month = app.explorer.cursor_month
        shown = readout(app, "stocks")
        assert "…" not in shown, shown
        for column in ("nk_stock", "ru_stock"):
            assert value_at(app, column, month) in shown, (column, shown)
        assert shown.count("–") >= 4, "the four bands' ranges"
