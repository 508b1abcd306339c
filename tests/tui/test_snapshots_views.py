"""The chart's cursor and the views over the projection, as a user sees them at 80x24 and 120x40.

Update after an intended change of these screens with `pytest --snapshot-update`, and look
at the report before committing the new pictures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pilot_waits import settle

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def explorer() -> AmmoflowApp:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)  # the present the charts mark, fixed so the pictures do not age
    return app


def pressing(*keys: str):  # type: ignore[no-untyped-def]
    """A ``run_before`` that waits for the results after each key."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@SIZES
def test_the_cursor_reads_the_stocks_against_a_pinned_baseline(snap_compare, size: tuple[int, int]) -> None:
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, pilot.app)
        await pilot.press("b")
        pilot.app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        await pilot.press("pagedown", "3", "c", "right", "right")
        await settle(pilot, pilot.app)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(explorer(), terminal_size=size, run_before=run)


@SIZES
def test_the_month_table_with_the_cursor_month_highlighted(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(explorer(), terminal_size=size, run_before=pressing("9", "c", "down"))


@SIZES
def test_projected_against_observed(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(explorer(), terminal_size=size, run_before=pressing("0"))


@SIZES
def test_the_model_on_screen_at_the_cursor_month(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(explorer(), terminal_size=size, run_before=pressing("m", "c"))
