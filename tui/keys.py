"""Keys typed ahead act in the order they were typed.

Textual routes each key to the focused widget as the app takes it from its queue; the
widget handles it later, from its own queue, and a key bound to an action bubbles up to
the app before the action runs. Keys that arrive together (a slow SSH link, fast typing,
a held key) are therefore all routed before the first has moved focus, and a bound key
can act after the characters typed behind it (Textual issue 6605). So, in the widgets
that take most keys here (the sliders and the fields):

- a key runs its binding at once, in the widget's turn, rather than after bubbling up;
- focus moves at once (:func:`focus_now`), not after the keys already queued;
- a widget that receives a key after focus has left it hands the key back to the app,
  which routes it to whatever has focus now;
- while a dialog is opening the app holds new keys, and lets them go once the dialog's
  first field has focus (:class:`TypeAhead`, :meth:`tui.screens._dialog.Dialog.on_screen_resume`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Select

HOLD_LIMIT = 1.0  # seconds: held keys are let go by then whatever happens


class InOrderKeys:
    """Mixed into a focusable widget (before its widget class): its keys act in the order typed."""

    TAKES_TEXT: ClassVar[bool] = False
    """Whether the widget types printable keys itself (an input) rather than treating them as commands."""

    @property
    def has_the_keys(self) -> bool:
        """Whether a key reaching this widget now is for it (it has focus, and no dialog is opening)."""
        app = self.app  # type: ignore[attr-defined]
        return app.focused is self and not getattr(app, "holding_keys", False)

    async def _on_key(self, event: events.Key) -> None:
        app = self.app  # type: ignore[attr-defined]
        focused = app.focused
        if focused is not None and focused is not self and self in focused.ancestors:
            # Bubbling up from a focused part of this widget (a drop-down's open list): that
            # part has had its turn, and the key goes on up as Textual sends it.
            await super()._on_key(event)  # type: ignore[misc]
            return
        if not self.has_the_keys:
            pass_on(app, event)
            return
        if self.TAKES_TEXT and event.is_printable:
            await super()._on_key(event)  # type: ignore[misc]
            return
        # The search the app makes once the key has bubbled up to it (from the focused widget
        # outwards; an action that skips lets the next binding try), made now, in turn. A key
        # nothing takes ends here: bubbling on, it would be searched again later, against
        # whatever has focus by then (a dialog opened by a key typed after it).
        event.stop()
        event.prevent_default()
        if not await app._check_bindings(event.key):
            await super()._on_key(event)  # type: ignore[misc]


def pass_on(app: App[object], event: events.Key) -> None:
    """Hand ``event`` back to ``app``, to be routed again to whatever has focus when its turn comes."""
    event.stop()
    event.prevent_default()
    app.post_message(events.Key(event.key, event.character))


def hold_keys_for(widget: Widget) -> None:
    """Hold the keys typed from now on, for an action whose effect reaches the app by message.

    The app lets them go once that effect is ready (a dialog up, focus moved); an app that
    does not type ahead is left alone.
    """
    hold = getattr(widget.app, "hold_keys", None)
    if hold is not None:
        hold()


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key already queued is routed (Widget.focus waits behind them)."""
    widget.screen.set_focus(widget, scroll_visible=False)


class TypeAhead:
    """Mixed into the app (before App): holds keys while a dialog opens.

    :meth:`hold_keys` before an action that may open a dialog; :meth:`release_keys` when
    the dialog's first field has focus, when the action ends without a dialog, or after
    :data:`HOLD_LIMIT` at the latest, so that a key is never held for long.
    """

    _held_keys: list[events.Key] | None = None
    _hold_timer: Timer | None = None

    @property
    def holding_keys(self) -> bool:
        return self._held_keys is not None

    def hold_keys(self) -> None:
        if self._held_keys is None:
            self._held_keys = []
        if self._hold_timer is not None:
            self._hold_timer.stop()  # each hold gets the whole limit
        self._hold_timer = self.set_timer(HOLD_LIMIT, self.release_keys)  # type: ignore[attr-defined]

    def release_keys(self) -> None:
        held, self._held_keys = self._held_keys, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))  # type: ignore[attr-defined]

    async def on_event(self, event: events.Event) -> None:
        if self._held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            return
        await super().on_event(event)  # type: ignore[misc]


class FieldInput(InOrderKeys, Input):
    """A text field whose editing keys (backspace, the arrows, Enter) act in turn with the characters typed."""

    TAKES_TEXT = True
    _changes_posted = 0
    _changes_seen_by_submit = 0

    def action_submit(self) -> None:
        """Enter: the screen's ``on_input_submitted`` runs now, not when a posted message reaches it.

        Posted, it would read the field after the keys typed behind Enter had changed it.
        """
        handler = getattr(self.screen, "on_input_submitted", None)
        if handler is None:
            super().action_submit()
            return
        handler(Input.Submitted(self, self.read_for_submit()))

    def read_for_submit(self) -> str:
        """The value as a submit reads it: changes to it still on their way are no longer news."""
        self._changes_seen_by_submit = self._changes_posted
        return self.value

    def post_message(self, message: Message) -> bool:
        if isinstance(message, Input.Changed) and message.input is self:
            self._changes_posted += 1
            message.number = self._changes_posted  # type: ignore[attr-defined]
        return super().post_message(message)

    def is_news(self, event: Input.Changed) -> bool:
        """Whether ``event`` says something the last submit did not already read.

        A change still on its way when Enter was handled (here, or bubbling up to a parent)
        must not clear the message the submit left (a value refused) as if typed since.
        """
        return getattr(event, "number", 0) > self._changes_seen_by_submit

    def on_input_changed(self, event: Input.Changed) -> None:
        if not self.is_news(event):
            event.stop()


class FieldSelect(InOrderKeys, Select):  # type: ignore[type-arg]
    """A drop-down field whose keys act in turn with those typed before and after them."""


__all__ = [
    "HOLD_LIMIT",
    "FieldInput",
    "FieldSelect",
    "InOrderKeys",
    "TypeAhead",
    "focus_now",
    "hold_keys_for",
    "pass_on",
]
