"""Three kept runs beside the scenario, at 80x24 and 120x40: the figures table and the overlaid chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_runs import explorer, keep_three
from test_snapshots import wait_for_results


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("tab", ["6", "3"], ids=["figures", "stocks"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_three_runs_compared(snap_compare, size: tuple[int, int], tab: str) -> None:
    async def compare(pilot) -> None:  # type: ignore[no-untyped-def]
        await keep_three(pilot, pilot.app)
        await pilot.press(tab)
        await wait_for_results(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(explorer(), terminal_size=size, run_before=compare)
