"""Waiting for the explorer under Textual's Pilot: until something is true, not a fixed number of
turns, so the tests hold on a busy machine where a projection takes many turns to come back."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ammoflow.tui.app import AmmoflowApp
from textual.pilot import Pilot

PATIENCE = 60.0  # seconds: far beyond any projection, short of hanging the suite forever


async def settle_until(pilot: Pilot[Any], done: Callable[[], object], patience: float = PATIENCE) -> None:
    """Let the app work until ``done()`` is true, for at most ``patience`` seconds.

    Past that it returns anyway, and the test's own assertions say what the screen shows.
    """
    deadline = time.monotonic() + patience
    while not done() and time.monotonic() < deadline:
        await pilot.pause(0.01)


async def settle(pilot: Pilot[Any], app: AmmoflowApp) -> None:
    """Wait until no projection is being computed or waiting (at most ``PATIENCE`` seconds), then
    for the screen to catch up."""
    await settle_until(pilot, lambda: not app.busy)
    await pilot.pause()
