"""The terminal driver of the explorer: Textual's own, with the style filter on its output.

Over SSH on a slow link every byte counts; :func:`only_style_changes` drops the resets and
repeated styles Textual writes around each segment (half a full frame's bytes) while the
terminal shows exactly the same. ``AMMOFLOW_FULL_STYLES=1`` turns it off, for a terminal that
would disagree and to measure what it saves.
"""

from __future__ import annotations

import os

from textual.driver import Driver

from ammoflow.tui.render.sgr_filter import only_style_changes

__all__ = ["StyleDiffWriting", "with_style_filter"]

LINUX_DRIVER = "textual.drivers.linux_driver"


class StyleDiffWriting(Driver):
    """Put before a terminal driver: each write goes out with its styles reduced to the changes."""

    def write(self, data: str) -> None:
        # A mixin, always put before a concrete driver: the write called is that one.
        super().write(only_style_changes(data))  # type: ignore[safe-super]


def with_style_filter(found: type[Driver]) -> type[Driver]:
    """``found`` writing through the filter when it is (made from) Textual's Linux driver, unless turned off.

    Other drivers (Windows, headless for tests, one named in TEXTUAL_DRIVER) stay as they are.
    """
    on_linux = any(base.__module__ == LINUX_DRIVER for base in found.__mro__)
    if not on_linux or os.environ.get("AMMOFLOW_FULL_STYLES", "") not in ("", "0"):
        return found
    return type(f"StyleDiff{found.__name__}", (StyleDiffWriting, found), {})
