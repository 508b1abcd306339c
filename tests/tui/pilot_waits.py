"""Waiting for the explorer under Textual's Pilot: until something is true, not a fixed number of
turns, so the tests hold on a busy machine where a projection takes many turns to come back."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from ammoflow.tui.app import AmmoflowApp

PATIENCE = 60.0  # seconds: far beyond any projection, short of hanging the suite forever


async def settle_until(pilot: Pilot[Any], done: Callable[[], object], patience: float = PATIENCE) -> None:
    """Let the app work until ``done()`` is true, for at most ``patience`` seconds.

    Past that it returns anyway, and the test's own assertions say what the screen shows.
    """
    deadline = time.monotonic() + patience
    while not done() and time.monotonic() < deadline:
        await pilot.pause(0.01)


async def settle(pilot: Pilot[Any], app: AmmoflowApp) -> None:
    """Wait until the explorer has settled: every job asked for done and drawn (at most ``PATIENCE``
    seconds; past that the test's own assertions say what the screen shows), then for the screen."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(app.explorer.settled(), PATIENCE)
    await pilot.pause()


async def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop the text cursors on the screen from blinking, shown, so that a picture taken on a busy
    machine, more than a blink after the last key, shows the same cursor as on an idle one."""
    from textual.widgets import Input, TextArea

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()
