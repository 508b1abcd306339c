"""What a terminal shows after a user's work is what the explorer holds: nothing stale is left on it.

Textual writes only what it finds changed. If it misses a change (a widget moved but was never
written where it now is), the terminal keeps the old cells while the app's own picture is right:
at 80x24 the parameter list once showed values under the wrong labels after a scroll. Sessions
of a user's work run under Pilot, through the explorer's own driver (its style filter and all),
and every write goes to a terminal emulator (pyte). At each checkpoint the emulator's screen is
taken, then the app is made to repaint everything (``Screen.refresh()``: a full update from the
compositor's picture) and the screen is taken again. A terminal that was up to date is not changed
by the repaint: the two must agree in every cell as an eye sees it, character, colours and
attributes (on a blank only what shows: see :func:`seen`).

Checkpoints come at rest (the explorer's jobs and animations done, notices kept until cleared,
the look-ahead off), so that nothing the app would still write by itself differs between the two.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pyte
import pytest
import test_snapshots as scenes
from pilot_waits import PATIENCE, steady_cursors
from test_sgr_emulator import Recording, Tap
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.driver import FrugalWriting
from ammoflow.tui.explorer import ExplorerScreen
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.panels.tornado import TornadoBars, TornadoView


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMMOFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    # A step's answer worked out ahead arrives when it likes; the checkpoints want a screen at rest.
    monkeypatch.setattr(ExplorerScreen, "looks_ahead", False)


Cells = list[list[Any]]  # rows of pyte characters: the glyph and every attribute pyte keeps


CHARACTERS = {"enter": "\r", "escape": "\x1b", "left_square_bracket": "[", "right_square_bracket": "]"}


def send(app: AmmoflowApp, *keys: str) -> None:
    """Queue the keys at once, as the terminal's driver does when they arrive."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


class Terminal:
    """A terminal emulator fed what the app has written so far, write by write."""

    def __init__(self, writes: list[str], size: tuple[int, int]) -> None:
        self.writes = writes
        self.screen = pyte.Screen(*size)
        self.stream = pyte.Stream(self.screen)
        self.read = 0

    def resize(self, size: tuple[int, int]) -> None:
        self.catch_up()  # what was written at the old size lands at the old size
        self.screen.resize(size[1], size[0])

    def catch_up(self) -> None:
        for data in self.writes[self.read :]:
            self.stream.feed(data)
        self.read = len(self.writes)

    def cells(self) -> Cells:
        self.catch_up()
        screen = self.screen
        return [[seen(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)]


def seen(cell: Any) -> Any:
    """A cell as an eye sees it: on a blank, only the background shows, and the foreground if it is
    reversed, underlined or struck through (bold, italics or a colour on a bare blank show nothing)."""
    if cell.data.strip():
        return cell
    if cell.reverse or cell.underscore or cell.strikethrough:
        return cell._replace(bold=False, italics=False, blink=False)
    return cell._replace(fg="default", bold=False, italics=False, blink=False)


def text(row: Sequence[Any]) -> str:
    return "".join(cell.data for cell in row)


def differences(shown: Cells, truth: Cells) -> list[str]:
    """Each row the terminal shows otherwise than the app holds: its text, or the first cell that differs."""
    found = []
    for y, (row_shown, row_truth) in enumerate(zip(shown, truth, strict=True)):
        if row_shown == row_truth:
            continue
        if text(row_shown) != text(row_truth):
            found.append(f"  row {y:2} shows {text(row_shown)!r}\n         holds {text(row_truth)!r}")
        else:
            x = next(x for x, (a, b) in enumerate(zip(row_shown, row_truth, strict=True)) if a != b)
            found.append(f"  row {y:2} column {x}: shows {row_shown[x]}, holds {row_truth[x]}")
    return found


class Session:
    """A user's work, one checkpoint after each action: the terminal against a full repaint."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.app = scenes.explorer(AmmoflowApp(offer_recovery=False))
        self.sent: list[str] = []  # what reaches the terminal, after the explorer's own driver
        self.raw: list[str] = []  # what Textual wrote, before it
        self.app.driver_class = type("Watched", (Tap, FrugalWriting, Recording), {"raw": self.raw, "writes": self.sent})
        notify = self.app.notify

        def lasting(*args: Any, **kwargs: Any) -> None:
            """A notice stays until cleared: one timing out between the two pictures is not a stale screen."""
            notify(*args, **{**kwargs, "timeout": 3600})

        self.app.notify = lasting  # type: ignore[method-assign]  # the session's own notices, on its own app
        self.size = size
        self.terminal = Terminal(self.sent, size)
        self.sizes = [(0, size)]  # the terminal's size from each of Textual's writes on
        self.stale: list[str] = []
        self.checkpoints = 0

    async def check(self, pilot: Pilot[Any], what: str) -> None:
        """At rest, the terminal's screen must be what a full repaint makes it."""
        await self.at_rest(pilot)
        await self.compare(pilot, what)

    async def at_rest(self, pilot: Pilot[Any]) -> None:
        """Everything asked for done and drawn: nothing left that the app would still write by itself."""
        app = self.app
        await pilot.pause()  # the keys sent are handled, and what they asked for is under way
        with contextlib.suppress(TimeoutError):  # past that, the screens compared say what is wrong
            await asyncio.wait_for(app.explorer.settled(), PATIENCE)
        await app.animator.wait_until_complete()  # a tab's underline sliding over is not a stale screen
        await pilot.pause()  # what they asked for is drawn
        if app.screen.query(Input):  # a blink between the two pictures is not a stale screen
            await steady_cursors(pilot)

    async def compare(self, pilot: Pilot[Any], what: str) -> None:
        """The terminal's screen, then the same after a full repaint: any cell that changed was stale."""
        app = self.app
        shown = self.terminal.cells()
        written = len(self.raw)
        app.screen.refresh()  # everything again, from the compositor's picture
        await pilot.pause(0)  # ends with the screen's update: the repaint is written
        assert len(self.raw) > written, f"after {what}: the app did not repaint"
        truth = self.terminal.cells()
        found = differences(shown, truth)
        self.checkpoints += 1
        if found and not self.stale:  # the whole of the first, to see where on the screen
            rows = (f"  {y:2} {text(row)}" for y, row in enumerate(truth))
            found.append("  the screen it should show:\n" + "\n".join(rows))
        if found:
            whose = "Textual's own writes" if self.textual_missed(written) else "the driver"
            where = f"after {what} at {self.size[0]}x{self.size[1]} (stale from {whose})"
            self.stale.append(where + ":\n" + "\n".join(found))

    def textual_missed(self, written: int) -> bool:
        """Whether Textual's own writes, before the explorer's driver, left the screen stale too."""
        terminal = Terminal([], self.sizes[0][1])
        for start, size in self.sizes:
            terminal.writes = self.raw[:start]
            terminal.resize(size)
        terminal.writes = self.raw[:written]
        shown = terminal.cells()
        terminal.writes = self.raw
        return bool(differences(shown, terminal.cells()))

    async def keys(self, pilot: Pilot[Any], *keys: str) -> None:
        """Type the keys in one burst, as a terminal sends keys typed ahead, then check."""
        send(self.app, *keys)
        await self.check(pilot, " ".join(keys) if len(set(keys)) > 1 else f"{len(keys)} x {keys[0]} at once")

    async def one_at_a_time(self, pilot: Pilot[Any], *keys: str) -> None:
        """Type each key at a user's pace: everything drawn before the next, each checked."""
        for index, key in enumerate(keys):
            send(self.app, key)
            await self.check(pilot, f"{key} (key {index + 1} of {len(keys)})")

    async def resize(self, pilot: Pilot[Any], size: tuple[int, int]) -> None:
        self.terminal.resize(size)
        self.sizes.append((len(self.raw), size))
        await pilot.resize_terminal(*size)
        self.size = size
        await self.check(pilot, f"a resize to {size[0]}x{size[1]}")


async def parameter_list(session: Session, pilot: Pilot[Any], *, back_a_key_at_a_time: bool) -> None:
    """The whole parameter list down and back a key at a time, then in bursts, with slider steps."""
    app = session.app
    panel = app.query_one(ParametersPanel)
    rows = len(panel.rows)
    await session.one_at_a_time(pilot, *["down"] * (rows - 1))
    assert panel.focused_key == list(panel.rows)[-1], "the focus walked to the last parameter"
    back = ["up"] * (rows - 1)
    await (session.one_at_a_time(pilot, *back) if back_a_key_at_a_time else session.keys(pilot, *back))
    assert panel.focused_key == next(iter(panel.rows))
    await session.keys(pilot, *["down"] * 5)
    await session.keys(pilot, *["down"] * (rows // 2))
    await session.keys(pilot, *["up"] * rows)
    await session.keys(pilot, "pagedown")
    await session.keys(pilot, "right")
    await session.one_at_a_time(pilot, "left", "left")
    await session.keys(pilot, "right", "right", "right")
    await session.keys(pilot, "home")


async def other_lists(session: Session, pilot: Pilot[Any]) -> None:
    """The tornado's bars and the month table scrolled, and the table rebuilt by an edit while scrolled."""
    app = session.app
    await session.one_at_a_time(pilot, "8")
    bars = app.query_one(TornadoBars)
    bars.focus()
    moves = min(bars.bar_count - 1, 12)
    await session.one_at_a_time(pilot, *["down"] * moves)
    assert bars.has_focus and bars.cursor == moves, "the cursor walked down the bars"
    await session.one_at_a_time(pilot, "pageup")
    await session.keys(pilot, "end")
    await session.keys(pilot, "right_square_bracket")  # the next key figure: bars sorted again
    await session.keys(pilot, "home", "pagedown", "down")
    chosen = bars.cursor
    await session.one_at_a_time(pilot, "enter")  # to that bar's parameter, scrolled into view
    assert app.query_one(ParametersPanel).focused_key == app.query_one(TornadoView).tornado.bars[chosen].key  # type: ignore[union-attr]
    await session.one_at_a_time(pilot, "9", "c", "pagedown", "down", "down", "pageup")
    await session.keys(pilot, "pagedown", "pagedown", "down")
    table = app.query_one(MonthTable)
    assert table.scroll_offset.y > 0, "the table was scrolled"
    await session.one_at_a_time(pilot, "c", "right", "left", "1")  # an edit rebuilds the table shown


async def views(session: Session, pilot: Pilot[Any]) -> None:
    """Every tab, help, the bands with steps and the chart cursor."""
    app = session.app
    await session.one_at_a_time(pilot, "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "m", "1")
    await session.one_at_a_time(pilot, "f1", "escape")
    await session.one_at_a_time(pilot, "3", "u")
    assert app.explorer.bands_current, "the bands were drawn"
    await session.one_at_a_time(pilot, "down", "right", "left")
    await session.keys(pilot, "right", "right")
    await session.one_at_a_time(pilot, "4", "u")
    await session.one_at_a_time(pilot, "1", "c", "left_square_bracket", "right_square_bracket")
    await session.keys(pilot, *["right_square_bracket"] * 4)
    await session.one_at_a_time(pilot, "c")
    app.clear_notifications()
    await session.check(pilot, "the notifications cleared")


async def dialogs(session: Session, pilot: Pilot[Any]) -> None:
    """Uncertainty settings, the scenario, a change added on the Changes tab, quitting cancelled."""
    app = session.app
    await session.one_at_a_time(pilot, "U", "escape", "E", "escape", "7", "a", "escape")
    await session.one_at_a_time(pilot, "a")
    app.screen.query_one("#value", Input).focus()
    await session.one_at_a_time(pilot, "7", "0", "0", "enter")
    assert len(app.explorer.workspace.scenario.changes) == 1, "the change was added"
    await session.one_at_a_time(pilot, "1")
    assert app.explorer.workspace.modified, "there is unsaved work, so quitting asks"
    await session.one_at_a_time(pilot, "q", "escape")
    assert app.is_running and app.screen is app.explorer


SEEN_AT = (80, 24)  # where values were once left under the wrong labels: the way back a key at a time there
SIZES = pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)], ids=["80x24", "60x20", "120x40"])


def run(size: tuple[int, int], work: Callable[[Session, Pilot[Any]], Awaitable[None]]) -> None:
    """Run ``work`` on a fresh explorer at ``size``; fail listing every stale screen it met."""
    session = Session(size)

    async def run_work() -> None:
        async with session.app.run_test(headless=False, size=size) as pilot:
            await session.check(pilot, "opening")
            await work(session, pilot)

    asyncio.run(run_work())
    assert session.checkpoints > 30
    assert not session.stale, f"{len(session.stale)} screens stale out of {session.checkpoints}:\n" + "\n".join(
        session.stale
    )


@SIZES
def test_moving_through_the_lists_leaves_nothing_stale_on_the_terminal(size: tuple[int, int]) -> None:
    async def work(session: Session, pilot: Pilot[Any]) -> None:
        await parameter_list(session, pilot, back_a_key_at_a_time=size == SEEN_AT)
        await other_lists(session, pilot)
        await session.resize(pilot, (size[0] - 17, size[1] - 5))
        await session.keys(pilot, "down", "down", "right")
        await session.resize(pilot, size)
        await session.one_at_a_time(pilot, "up", "up", "3")

    run(size, work)


@SIZES
def test_the_views_and_dialogs_leave_nothing_stale_on_the_terminal(size: tuple[int, int]) -> None:
    async def work(session: Session, pilot: Pilot[Any]) -> None:
        await session.keys(pilot, "down", "down", "right")  # unsaved work, as after any session
        await views(session, pilot)
        await dialogs(session, pilot)

    run(size, work)


def test_a_frame_the_terminal_never_got_is_found() -> None:
    """The check itself: writes lost on the way to the terminal leave it stale, and that is caught."""
    session = Session((80, 24))

    async def work() -> None:
        async with session.app.run_test(headless=False, size=(80, 24)) as pilot:
            await session.check(pilot, "opening")
            assert not session.stale
            written = len(session.sent)
            send(session.app, "3")
            await session.at_rest(pilot)
            assert len(session.sent) > written, "the stocks chart was written"
            del session.sent[written:]  # the terminal never got it
            await session.compare(pilot, "the stocks chart, lost")

    asyncio.run(work())
    (stale,) = session.stale
    assert stale.startswith("after the stocks chart, lost at 80x24 (stale from the driver)")
    assert "Shipped" in stale or "Containers shipped" in stale, "the shipped chart left on the terminal"
