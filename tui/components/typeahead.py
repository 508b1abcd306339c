"""Keys typed ahead reach what has focus when their turn comes.

Textual routes each key to the focused widget as the app takes it from its queue, and the
widget handles it later, from its own queue. Keys that arrive together (a slow SSH link,
fast typing, a held key) are therefore all routed before the first has moved focus: the
digits typed straight after Enter would reach the slider rather than the input Enter
opens, and the Down after a closing Enter would reach the input just closed. Two rules
keep the order the user typed:

- a key whose action moves focus is a priority binding, run as the key is routed (with
  focus moved at once, not after the keys already queued);
- a widget that receives a key after focus has left it hands the key back to the app,
  which routes it to whatever has focus now.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


class KeysFollowFocus:
    """Mixed into a widget (before its widget class): keys that reach it after it has lost focus are passed on."""

    async def _on_key(self, event: events.Key) -> None:
        app = self.app  # type: ignore[attr-defined]
        if app.focused is not self:
            event.stop()
            event.prevent_default()
            app.post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)  # type: ignore[misc]


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key already queued is routed (Widget.focus waits behind them)."""
    widget.screen.set_focus(widget, scroll_visible=False)
