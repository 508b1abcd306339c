"""Screens paint a change within FRAME_WAIT, not on Textual's 60-a-second clock.

Textual keeps the wait in a module constant and a private timer; a new Textual may move
either, and the slider step would quietly wait 8 ms longer on average: this fails instead.
"""

from __future__ import annotations

import os

import pytest
from pilot_waits import settle

from ammoflow.tui.app import FRAME_WAIT, AmmoflowApp


@pytest.mark.skipif("TEXTUAL_FPS" in os.environ, reason="a TEXTUAL_FPS set by the user is kept")
async def test_the_explorer_paints_a_change_within_the_frame_wait() -> None:
    app = AmmoflowApp(offer_recovery=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("right")
        await settle(pilot, app)
        timer = app.screen._update_timer  # Textual's clock for repaints, made at the first paint
        assert timer._interval == pytest.approx(FRAME_WAIT)
