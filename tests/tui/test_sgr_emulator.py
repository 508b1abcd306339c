"""The style filter shows exactly what Textual's own output shows, on a terminal emulator (pyte).

The explorer runs under Pilot with a driver that keeps every write as the terminal would get
it. Each screen of ``test_snapshots.py`` and sessions of slider work, help, bands and a resize
are replayed through pyte twice, as written and through :func:`only_style_changes` (write by
write, as the real driver filters), and the two screens must agree cell by cell: character,
foreground, background, bold, italics, underline, strike, reverse and blink. Dim, which pyte
does not keep, is covered by the property tests of ``tests/test_sgr_filter.py``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyte
import pytest
import test_snapshots as scenes
from pilot_waits import settle
from textual.app import App
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.driver import FrugalWriting
from ammoflow.tui.render.sgr_filter import only_style_changes


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


class Recording(HeadlessDriver):
    """Headless input, but the app writes to it as to a terminal: every write is kept."""

    writes: list[str]

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        self.writes.append(data)


Mark = tuple[int, tuple[int, int]]  # writes so far, terminal size then


def recorder(app: App[Any]) -> list[str]:
    writes: list[str] = []
    driver = type("RecordingFor", (Recording,), {"writes": writes})
    app.driver_class = driver
    return writes


def screen_of(writes: Iterable[str], marks: Sequence[Mark]) -> list[list[list[Any]]]:
    """The screen at each mark: every cell as pyte keeps it."""
    writes = list(writes)
    screens = []
    width, height = marks[0][1]
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    done = 0
    for count, size in marks:
        if size != (screen.columns, screen.lines):  # the terminal resized, then the app redrew
            screen.resize(size[1], size[0])
        for data in writes[done:count]:
            stream.feed(data)
        done = count
        screens.append([[screen.buffer[y][x] for x in range(screen.columns)] for y in range(screen.lines)])
    return screens


def assert_same_on_screen(writes: list[str], marks: Sequence[Mark]) -> None:
    raw = screen_of(writes, marks)
    filtered_writes = [only_style_changes(data) for data in writes]
    filtered = screen_of(filtered_writes, marks)
    assert sum(map(len, filtered_writes)) < sum(map(len, writes))  # it does filter something
    for at, (before, after) in enumerate(zip(raw, filtered, strict=True)):
        for y, (row_before, row_after) in enumerate(zip(before, after, strict=True)):
            for x, (cell_before, cell_after) in enumerate(zip(row_before, row_after, strict=True)):
                assert cell_before == cell_after, f"mark {at}, row {y}, column {x}"


def snap_compare_on_emulator(
    app: App[Any],
    terminal_size: tuple[int, int] = (80, 24),
    press: Iterable[str] = (),
    run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
) -> bool:
    """In place of pytest-textual-snapshot's fixture: the same scene, checked on the emulator."""
    writes = recorder(app)

    async def scene() -> None:
        async with app.run_test(headless=False, size=terminal_size) as pilot:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await pilot.press(*press)
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

    asyncio.run(scene())
    assert writes, "the app wrote nothing to its terminal"
    assert_same_on_screen(writes, [(len(writes), terminal_size)])
    return True


def snapshot_scenes() -> list[Any]:
    """Every test of ``test_snapshots.py``, with each of its parameter sets."""
    found = []
    for name, test in inspect.getmembers(scenes, inspect.isfunction):
        if not name.startswith("test_"):
            continue
        marks = [mark for mark in getattr(test, "pytestmark", []) if mark.name == "parametrize"]
        if not marks:
            found.append(pytest.param(test, {}, id=name))
            continue
        (mark,) = marks
        names = [part.strip() for part in mark.args[0].split(",")]
        for index, values in enumerate(mark.args[1]):
            values = values if len(names) > 1 else (values,)
            found.append(pytest.param(test, dict(zip(names, values, strict=True)), id=f"{name}[{index}]"))
    return found


@pytest.mark.parametrize(("scene", "arguments"), snapshot_scenes())
def test_every_snapshot_scene_looks_the_same_through_the_filter(scene: Any, arguments: dict[str, Any]) -> None:
    scene(snap_compare_on_emulator, **arguments)


class Tap(Driver):
    """Keeps what the app writes, before the frugal driver has its say."""

    raw: list[str]

    def write(self, data: str) -> None:
        self.raw.append(data)
        super().write(data)  # put before FrugalWriting and a recording


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_a_session_looks_the_same_through_the_frugal_driver(size: tuple[int, int]) -> None:
    """Slider work, help, a tab, the bands and a resize: the screen after each is the same as
    what Textual wrote, cell by cell, through the explorer's own driver (styles and repeats)."""
    app = scenes.explorer(AmmoflowApp(offer_recovery=False))
    sent: list[str] = []
    raw: list[str] = []
    app.driver_class = type("Tapped", (Tap, FrugalWriting, Recording), {"raw": raw, "writes": sent})
    marks: list[tuple[int, int, tuple[int, int]]] = []

    async def session() -> None:
        async with app.run_test(headless=False, size=size) as pilot:
            current = size

            async def after(*keys: str) -> None:
                await pilot.press(*keys)
                await settle(pilot, app)
                marks.append((len(raw), len(sent), current))

            await after()
            await after("down")
            await after("left")
            await after("left", "left", "right")
            await after("3")
            await after("u")
            await after("left")
            await after("f1")
            await after("escape")
            current = (size[0] - 7, size[1] - 3)
            await pilot.resize_terminal(*current)
            await after()
            await after("1", "down", "right")

    asyncio.run(session())
    assert sum(map(len, sent)) < 0.9 * sum(map(len, raw))
    assert len(sent) < len(raw)  # frames written twice in a row were written once
    before = screen_of(raw, [(count, at) for count, _, at in marks])
    after = screen_of(sent, [(count, at) for _, count, at in marks])
    for at, (screen_before, screen_after) in enumerate(zip(before, after, strict=True)):
        for y, (row_before, row_after) in enumerate(zip(screen_before, screen_after, strict=True)):
            assert row_before == row_after, f"mark {at}, row {y}"


def test_the_explorer_writes_through_the_filter_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.drivers.linux_driver import LinuxDriver

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    driver = AmmoflowApp(offer_recovery=False).driver_class
    assert issubclass(driver, FrugalWriting) and issubclass(driver, LinuxDriver)
    assert driver.write is FrugalWriting.write  # type: ignore[comparison-overlap]
    monkeypatch.setenv("AMMOFLOW_FULL_STYLES", "1")
    assert not issubclass(AmmoflowApp(offer_recovery=False).driver_class, FrugalWriting)
