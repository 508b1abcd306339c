"""X on the month table and the model view: the file holds what the view showed, the cursor's month included."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from pilot_waits import settle, settle_until
from polars.testing import assert_frame_equal
from rich.text import Text
from textual.widgets import Input, Static

from ammoflow.scenarios.files.projection_file import without_dust
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.confirm import ConfirmScreen
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import ORDER, MonthTable

pytestmark = pytest.mark.usefixtures("private_state")


def new_app() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    return app


async def prompt_for(app: AmmoflowApp, pilot, name: str | None) -> str:  # type: ignore[no-untyped-def]
    """Press X, type ``name`` (None: keep the default) and Enter; the name offered."""
    await pilot.press("X")
    await settle_until(pilot, lambda: isinstance(app.screen, PathPrompt))
    field = app.screen.query_one("#path", Input)
    offered = field.value
    if name is not None:
        field.value = name
    await pilot.press("enter")
    await pilot.pause()
    return offered


async def written(app: AmmoflowApp, pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    await settle_until(pilot, lambda: any(str(path) in str(n.message) for n in app._notifications))


async def test_the_table_as_text_is_the_table_on_screen_with_the_cursor_month_marked(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9", "c", "right_square_bracket")
        await settle(pilot, app)
        await prompt_for(app, pilot, "table.txt")
        path = private_state / "table.txt"
        await written(app, pilot, path)
        table = app.query_one(MonthTable)
        shown = [cell.plain for cell in table.get_row_at(table.cursor_row)]
        lines = path.read_text().splitlines()
        assert any("as text as shown" in str(n.message) for n in app._notifications)
    assert lines[0].split() == ["month", *(word for heading in _headings() for word in heading.split())]
    marked = [line for line in lines if line.startswith("▸")]
    assert len(marked) == 1 and shown[0] == "2025-07"
    assert marked[0].split() == ["▸", *shown], "the marked row holds the cells the table showed, every column"
    assert len(lines) == 2 + app.explorer.result.frame.height  # type: ignore[union-attr]


def _headings() -> list[str]:
    from ammoflow.tui.panels.month_table import HEADINGS

    return [HEADINGS[name] for name in ORDER]


async def test_the_table_as_csv_holds_its_numbers_in_its_order_under_the_name_offered(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        offered = await prompt_for(app, pilot, None)
        path = private_state / Path(offered).name
        await written(app, pilot, path)
        frame = app.explorer.result.frame  # type: ignore[union-attr]
    assert Path(offered).name == "baseline-table.csv"
    columns = ["month", *(name for name in ORDER if name in frame.columns)]
    read = pl.read_csv(path)
    assert read.columns == columns
    assert_frame_equal(read, without_dust(frame.select(columns)), check_dtypes=False, rel_tol=1e-9)


async def test_the_table_as_parquet(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        await prompt_for(app, pilot, "months.parquet")
        await written(app, pilot, private_state / "months.parquet")
        frame = app.explorer.result.frame  # type: ignore[union-attr]
    read = pl.read_parquet(private_state / "months.parquet")
    assert_frame_equal(read, frame.select(read.columns))
    assert read.columns[0] == "month" and len(read.columns) == 1 + len(ORDER)


def _model_shown(app: AmmoflowApp) -> str:
    blocks = [static.content for static in app.query_one(ModelView).query(Static)]
    assert all(isinstance(block, Text) for block in blocks)
    return "\n".join(block.plain for block in blocks if isinstance(block, Text))


async def test_the_model_view_as_text_is_the_month_the_cursor_shows(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("m", "c", "right_square_bracket", "right_square_bracket")
        await settle(pilot, app)
        offered = await prompt_for(app, pilot, None)
        path = private_state / Path(offered).name
        await written(app, pilot, path)
        shown = _model_shown(app)
    assert Path(offered).name == "baseline-model.txt"
    text = path.read_text()
    assert text.startswith("2025-08, 31 days")
    assert text == "".join(line.rstrip() + "\n" for line in shown.split("\n"))
    assert "How a month is projected" in text and "NORTH KOREA" in text


async def test_the_model_view_as_svg(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("m", "c")
        await settle(pilot, app)
        await prompt_for(app, pilot, "model.svg")
        await written(app, pilot, private_state / "model.svg")
    svg = (private_state / "model.svg").read_text()
    assert svg.startswith("<svg") and "2025-06" in svg and "RUSSIA" in svg


async def test_an_ending_the_view_is_not_written_as_is_refused_in_the_prompt(private_state: Path) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        await prompt_for(app, pilot, "table.xlsx")
        assert isinstance(app.screen, PathPrompt), "the prompt stays open with the reason"
        error = str(app.screen.query_one("#error").render())
        assert "table.xlsx: the month table" in error and ".csv, .parquet, .txt" in error
        await pilot.press("escape")
        await pilot.press("m")
        await settle(pilot, app)
        await prompt_for(app, pilot, "model.csv")
        assert isinstance(app.screen, PathPrompt)
        assert ".txt, .svg" in str(app.screen.query_one("#error").render())
    assert list(private_state.iterdir()) == []


async def test_a_file_there_is_kept_unless_replacing_it_is_confirmed(private_state: Path) -> None:
    path = private_state / "table.txt"
    path.write_text("mine\n")
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("9")
        await settle(pilot, app)
        await prompt_for(app, pilot, "table.txt")
        await settle_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot, app)
        assert path.read_text() == "mine\n"
        await prompt_for(app, pilot, "table.txt")
        await settle_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await written(app, pilot, path)
    assert path.read_text().startswith("  month")


async def test_a_path_that_cannot_be_written_is_said_without_a_traceback(private_state: Path) -> None:
    os.mkfifo(private_state / "pipe.txt")  # nothing reads it: written to, it is refused at once
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        await prompt_for(app, pilot, "pipe.txt")
        await settle_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle_until(pilot, lambda: any(n.title == "Not exported" for n in app._notifications))
        (refused,) = [n for n in app._notifications if n.title == "Not exported"]
        assert "pipe.txt" in str(refused.message) and refused.severity == "error"
        assert app.is_running
