"""Opening a hostile file from the explorer: one message, and the explorer and its work carry on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("AMMOFLOW_CONFIG", str(tmp_path / "no-config.toml"))


def huge_number(path: Path) -> str:
    path.write_text('name = "x"\n[parameters]\nru_fire_rate = 1' + "0" * 400 + "\n", encoding="utf-8")
    return ":3: ru_fire_rate = a number of 401 digits is outside its range"


def deep_nesting(path: Path) -> str:
    path.write_text('name = "x"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return ":2: nested too deeply"


@pytest.mark.parametrize("make", [huge_number, deep_nesting])
async def test_a_hostile_file_opened_from_the_explorer_is_one_message(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.toml"
    expected = make(path)
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        await pilot.pause()
        before = app.explorer.workspace.scenario
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if app.notices:
                break
        assert app.is_running
        assert app.explorer.workspace.scenario == before
        messages = list(app.notices)
        assert any(f"{path}{expected}" in m for m in messages), messages
