"""Export from the explorer: the name's ending picks CSV or Parquet, as the command line's --output does."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from pilot_waits import settle
from polars.testing import assert_frame_equal
from textual.widgets import Input

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.path_prompt import PathPrompt

pytestmark = pytest.mark.usefixtures("private_state")


async def export_as(app: AmmoflowApp, pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    await pilot.pause()
    app.screen.query_one("#path", Input).value = name
    await pilot.press("enter")
    await settle(pilot, app)


async def test_a_name_ending_in_parquet_is_written_as_parquet(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await export_as(app, pilot, "projection.parquet")
    assert_frame_equal(pl.read_parquet(private_state / "projection.parquet"), project(baseline()))


async def test_a_name_ending_in_csv_is_written_as_csv(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await export_as(app, pilot, "projection.csv")
    assert_frame_equal(pl.read_csv(private_state / "projection.csv"), project(baseline()), rel_tol=1e-9)


async def test_an_ending_that_names_no_format_is_refused_in_the_prompt(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await export_as(app, pilot, "projection.xlsx")
        assert isinstance(app.screen, PathPrompt)
        error = str(app.screen.query_one("#error").render())
        assert "projection.xlsx: .xlsx is not a format the projection is exported as" in error
        assert "end the name with .csv or .parquet" in error
    assert list(private_state.iterdir()) == []
