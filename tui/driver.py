"""The terminal driver of the explorer: Textual's own, frugal with what it writes.

Over SSH on a slow link every byte counts. Two things Textual writes are not needed:

- the resets and repeated styles around each segment (half of a full frame's bytes):
  :func:`only_style_changes` drops them and the terminal shows exactly the same;
- a frame the same as the one just written: Textual repaints a screen twice when it comes
  up (a dialog, or the explorer when a dialog closes), and a frame of absolute cursor moves and
  text, written again, changes nothing. The memory of it is dropped when the terminal resizes or
  the driver restarts (after a suspend), when the terminal's content may have changed under it.

``AMMOFLOW_FULL_STYLES=1`` turns both off, for a terminal that would disagree and to measure
what they save.
"""

from __future__ import annotations

import os
import re

from textual import events
from textual.driver import Driver
from textual.message import Message

from ammoflow.tui.render.sgr_filter import only_style_changes

__all__ = ["FrugalWriting", "redraws_in_place", "with_frugal_writing"]

LINUX_DRIVER = "textual.drivers.linux_driver"
SYNC = frozenset({"\x1b[?2026h", "\x1b[?2026l"})  # begin and end of a synchronised update
# Absolute cursor moves, styles and text only: writing it twice in a row is writing it once.
# A line feed only where a cursor move follows (between the lines of a frame, never at its end).
_IN_PLACE = re.compile(r"\x1b\[\d+;\d+H(?:[^\x1b\x07\n\x0b\x0c]|\n(?=\x1b\[\d+;\d+H)|\x1b\[[0-9;]*[mH])*")


def redraws_in_place(data: str) -> bool:
    """True when ``data`` only moves the cursor to absolute places and writes text and styles there."""
    return _IN_PLACE.fullmatch(data) is not None


class FrugalWriting(Driver):
    """Put before a terminal driver: writes only the style changes, and no frame twice in a row."""

    _last_frame: str | None = None

    def write(self, data: str) -> None:
        if data in SYNC:  # around every frame: not a frame of its own
            # A mixin, always put before a concrete driver: the write called is that one.
            super().write(data)  # type: ignore[safe-super]
            return
        in_place = redraws_in_place(data)
        if in_place and data == self._last_frame:
            return  # the terminal shows it already
        self._last_frame = data if in_place else None
        super().write(only_style_changes(data))  # type: ignore[safe-super]

    def process_message(self, message: Message) -> None:
        if isinstance(message, events.Resize):  # the terminal may have moved or cleared its cells
            self._last_frame = None
        super().process_message(message)

    def start_application_mode(self) -> None:
        self._last_frame = None  # back from a suspend: the shell has written over the screen
        super().start_application_mode()  # type: ignore[safe-super]


def with_frugal_writing(found: type[Driver]) -> type[Driver]:
    """``found`` writing frugally when it is (made from) Textual's Linux driver, unless turned off.

    Other drivers (Windows, headless for tests, one named in TEXTUAL_DRIVER) stay as they are.
    """
    on_linux = any(base.__module__ == LINUX_DRIVER for base in found.__mro__)
    if not on_linux or os.environ.get("AMMOFLOW_FULL_STYLES", "") not in ("", "0"):
        return found
    return type(f"Frugal{found.__name__}", (FrugalWriting, found), {})
