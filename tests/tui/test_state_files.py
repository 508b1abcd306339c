"""The explorer's own files (recent list, recovery copies, the fingerprint of the file being
worked on) are read as carefully as a user's: a FIFO, a device, garbage or deep nesting in them
never hangs or crashes the explorer."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.tui import userfiles
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.dialogs.confirm import ConfirmScreen
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.explorer import same_file
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.recovery import Copy, Process, Slot
from ammoflow.tui.state import fingerprint


def finishes(work) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``work()`` returns at all (a FIFO nobody writes to would block it for ever)."""
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(30)


def test_the_fingerprint_of_a_fifo_or_a_device_is_none_and_never_waits(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    found: list[str | None] = []
    assert finishes(lambda: found.append(fingerprint(fifo)))
    assert found == [None]
    assert fingerprint(Path("/dev/zero")) is None


def test_a_recent_list_that_is_not_a_list_of_paths_is_an_empty_one() -> None:
    folder = userfiles.state_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for text in ("5", '{"a": 1}', "[" * 100_000 + "]" * 100_000, "not json", '["", 3, "/ok.toml"]'):
        (folder / "recent.json").write_text(text)
        assert userfiles.recent_files() == ([Path("/ok.toml")] if "ok" in text else [])
    (folder / "recent.json").unlink()
    os.mkfifo(folder / "recent.json")
    assert finishes(userfiles.recent_files)


def test_a_fifo_among_the_recovery_slots_is_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir()
    ended = subprocess.Popen(["true"])
    ended.wait()
    fifo = folder / f"{Process(ended.pid, '1').name}.json"  # the slot of an explorer that stopped
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="FIFO"):
        Copy.read(fifo)
    slot = Slot(folder, Process.current())
    assert finishes(slot.claim_next)


def test_two_spellings_of_one_file_are_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "scen.toml").write_text("")
    os.symlink(tmp_path / "scen.toml", tmp_path / "link.toml")
    assert same_file(tmp_path / "scen.toml", tmp_path / "sub" / ".." / "scen.toml")
    assert same_file(tmp_path / "link.toml", tmp_path / "scen.toml")
    assert not same_file(tmp_path / "scen.toml", None)
    assert not same_file(tmp_path / "scen.toml", tmp_path / "other.toml")


async def wait_for_screen(pilot, app: AmmoflowApp, kind: type) -> None:  # type: ignore[no-untyped-def]
    for _ in range(500):
        if isinstance(app.screen, kind):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{kind.__name__} never opened; {type(app.screen).__name__} is on top")


async def test_save_as_the_open_file_by_another_spelling_still_asks_about_changes_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = presets.path_of("baseline").read_text()
    Path("scen.toml").write_text(text)
    app = AmmoflowApp(read_scenario(Path("scen.toml")), Path("scen.toml"), "scen.toml", offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(ParametersPanel).focus_parameter("ru_fire_rate")
        await pilot.press("right")
        Path("scen.toml").write_text(text + "# changed by someone else\n")
        await pilot.press("S")
        await wait_for_screen(pilot, app, PathPrompt)
        app.screen.query_one(Input).value = str(tmp_path / "scen.toml")  # the same file, spelt in full
        await pilot.press("enter")
        await wait_for_screen(pilot, app, ConfirmScreen)
        assert "changed by something else" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
    assert Path("scen.toml").read_text().endswith("# changed by someone else\n")  # nothing written over it
