"""Keys typed ahead act in the order they were typed: the only code that touches Textual's key routing.

Textual routes each key to the focused widget as the app takes it from its queue; the
widget handles it later, from its own queue, and a key bound to an action bubbles up to
the app before the action runs. Keys that arrive together (a slow SSH link, fast typing,
a held key) would therefore all be routed before the first has moved focus, and a bound
key could act after the characters typed behind it (Textual issue 6605). So:

- the app routes keys one at a time (:class:`TypeAhead`): the next key goes, to whatever
  has focus then, once the widget that had the last one has handled it and what that
  posted (the key bubbling up to the bindings, a field's change) has reached the app;
- while a dialog is opening the app holds new keys, and lets them go once the dialog's
  first field has focus (:meth:`ammoflow.tui.dialogs.base.Dialog.on_screen_resume`);
- Escape read together with the next key is those two keys, unless an Alt binding for
  that key is live (:class:`EscapeThenKeyParser`);
- a key bound to an action runs it in the key's turn: the key bubbles up to the app, which
  runs the binding, ahead of the message that ends the turn (:class:`TurnOver`); an
  action that moves focus does so at once (:func:`focus_now`), and a key a widget gives
  back (:func:`pass_on`) is routed again before the keys typed after it.

No widget touches the routing: they handle keys as Textual's own widgets do. An app that
does not mix in :class:`TypeAhead` gets Textual's routing, keys typed together and all.

The private parts of Textual used here are checked by tests/tui/test_textual_private_parts.py.
"""

from __future__ import annotations

import sys
import time
import types
from collections import deque
from collections.abc import Callable, Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.driver import Driver
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

HOLD_LIMIT = 1.0  # seconds: held keys are let go by then whatever happens


def copy_key(event: events.Key) -> events.Key:
    """A fresh ``event``, to be posted again (a message is handled once)."""
    if isinstance(event, EscapeThenKey):
        return EscapeThenKey(event.key, event.then_key, event.then_character)
    return events.Key(event.key, event.character)


def pass_on(app: App[object], event: events.Key) -> None:
    """Hand ``event`` back to ``app``, to be routed again, before any key typed after it, to whatever has focus."""
    event.stop()
    event.prevent_default()
    if isinstance(app, TypeAhead):
        app.route_first(event)
    else:
        app.post_message(copy_key(event))


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


class EscapeThenKey(events.Key):
    """Escape and the key after it, read together: an Alt chord to the terminal's parser.

    Its ``key`` is the chord ("alt+3"), for an Alt binding; :class:`TypeAhead` routes it as
    Escape then ``then_key`` when no such binding is live.
    """

    def __init__(self, chord: str, then_key: str, then_character: str | None) -> None:
        super().__init__(chord, None)  # as a chord it types nothing
        self.then_key = then_key
        self.then_character = then_character


SEQUENCE_STARTS = frozenset("[OP]_\\")
"""What follows Escape to begin a longer sequence (CSI, SS3, DCS, OSC, APC, ST): never a key."""


class EscapeThenKeyParser(XTermParser):
    """Textual's parser, except that Escape read with a printable key is :class:`EscapeThenKey`.

    Textual's reads "\\x1b3" as "£" and "\\x1bb" as ctrl+left (from its table of terminal
    sequences), so that Escape typed quickly before a key loses both.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        escape, then = sequence[:1], sequence[1:]
        if escape == "\x1b" and len(then) == 1 and then.isprintable() and then not in SEQUENCE_STARTS:
            (plain,) = super()._sequence_to_key_events(then)
            (chord,) = super()._sequence_to_key_events(then, alt=True)
            return [EscapeThenKey(chord.key, plain.key, plain.character)]
        return super()._sequence_to_key_events(sequence, alt)


def escape_aware_driver() -> type[Driver] | None:
    """Textual's terminal driver reading keys with :class:`EscapeThenKeyParser`; None off Linux and macOS.

    The driver makes its parser inside ``run_input_thread`` by the name ``XTermParser``;
    the same function, seeing that name bound to our parser, is the driver's.
    """
    if sys.platform == "win32":
        return None
    from textual.drivers.linux_driver import LinuxDriver

    read = LinuxDriver.run_input_thread
    names = {**read.__globals__, "XTermParser": EscapeThenKeyParser}
    run_input_thread = types.FunctionType(read.__code__, names, read.__name__, read.__defaults__, read.__closure__)
    return type("EscapeAwareDriver", (LinuxDriver,), {"run_input_thread": run_input_thread})


class TurnOver(Message):
    """A key's turn is over: sent up from the widget that had the key, after what it posted."""


class TypeAhead:
    """Mixed into the app (before App): the one router of keys, each in its turn.

    Textual hands each key to the focused widget as the app takes it from its queue, and
    the widget handles it later, from its own queue: keys that arrive together would all
    be routed before the first has moved focus. Here a key routed to a widget is that
    key's turn, and the next key waits until the widget has handled it; it then goes to
    whatever has focus by then. The keys also wait while a dialog opens: :meth:`hold_keys`
    before an action that may open one; :meth:`release_keys` when the dialog's first field
    has focus, when the action ends without a dialog, or after :data:`HOLD_LIMIT` at the
    latest, so that a key is never held for long.

    Escape read together with the key after it comes as one Alt chord (see
    :class:`EscapeThenKeyParser`); unless an Alt binding is live for it, it is routed as
    the Escape and the key the user typed.

    Each key keeps the time it reached the app (by :attr:`clock`), however long it waits:
    :attr:`typed_at` tells what the key whose turn it is does when it was typed, so that
    keys typed together are known as such however busy the machine is when they act.
    """

    clock: Callable[[], float] = time.monotonic  # the app's clock; tests may put their own
    _waiting: deque[tuple[events.Key, float]] | None = None  # keys waiting, and when they were typed
    _holding = False
    _hold_timer: Timer | None = None
    _turn: TurnOver | None = None  # the key whose turn it is, until its widget has handled it
    _turn_timer: Timer | None = None
    _typed: float = 0.0  # when the key whose turn it is was typed
    _let_go: tuple[events.Key, float] | None = None  # the waiting key posted to the app, on its way to its turn

    @property
    def typed_at(self) -> float | None:
        """When the key whose turn it is was typed, by :attr:`clock`; None outside a key's turn."""
        return self._typed if self._turn is not None else None

    @property
    def holding_keys(self) -> bool:
        """Whether keys are held for a dialog that is opening."""
        return self._holding

    def hold_keys(self) -> None:
        self._holding = True
        if self._hold_timer is not None:
            self._hold_timer.stop()  # each hold gets the whole limit
        self._hold_timer = self.set_timer(HOLD_LIMIT, self.release_keys)  # type: ignore[attr-defined]

    def release_keys(self) -> None:
        self._holding = False
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self._next_turn()

    def route_first(self, event: events.Key) -> None:
        """Route ``event`` again, before every key still waiting (its widget no longer had focus)."""
        typed = self._typed if self._turn is not None else self.clock()
        self._queue().appendleft((copy_key(event), typed))

    def _queue(self) -> deque[tuple[events.Key, float]]:
        if self._waiting is None:
            self._waiting = deque()
        return self._waiting

    def _end_turn(self, turn: TurnOver) -> None:
        if self._turn is not turn:
            return  # ended already (by the time limit)
        self._turn = None
        if self._turn_timer is not None:
            self._turn_timer.stop()
            self._turn_timer = None
        self._next_turn()

    def _next_turn(self) -> None:
        """Post the first waiting key to the app, if nothing stands in its way."""
        if self._holding or self._turn is not None or self._let_go is not None or not self._waiting:
            return
        self._let_go = self._waiting.popleft()
        self.post_message(self._let_go[0])  # type: ignore[attr-defined]

    def _must_wait(self) -> bool:
        return self._holding or self._turn is not None or self._let_go is not None or bool(self._waiting)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if self._let_go is not None and event is self._let_go[0]:
            typed = self._let_go[1]
            self._let_go = None
        else:
            typed = self.clock()
            if self._must_wait():
                self._queue().append((copy_key(event), typed))
                return
        if isinstance(event, EscapeThenKey):  # routed as plain keys: widgets handle "on_key"
            if self._alt_bound(event.key):
                event = events.Key(event.key, None)
            else:
                self._queue().appendleft((events.Key(event.then_key, event.then_character), typed))
                event = events.Key("escape", "\x1b")
        app: App[object] = self  # type: ignore[assignment]
        target: Widget = app.focused or app.screen
        self._typed = typed
        await super().on_event(event)  # type: ignore[misc]
        if event.is_forwarded:
            # Routed to ``target``: its turn lasts until what it did has reached the app
            # (see :meth:`_after_key`), or HOLD_LIMIT at most.
            turn = self._turn = TurnOver()
            self._turn_timer = app.set_timer(HOLD_LIMIT, lambda: self._end_turn(turn))
            if not target.call_later(self._after_key, target, turn):
                self._end_turn(turn)  # closing: it will handle nothing more
        else:
            self._next_turn()

    def _after_key(self, target: Widget, turn: TurnOver) -> None:
        """In ``target``'s turn, once it has handled the key: send ``turn`` up after what it posted.

        The key bubbling up (to the bindings), and the messages it led to (a field's change),
        are ahead of ``turn`` on the way up, so that they have arrived when the next key goes.
        A target whose screen has gone (the key closed a dialog) sends nothing more up.
        """
        app: App[object] = self  # type: ignore[assignment]
        if not target.is_attached or target.screen is not app.screen or not target.post_message(turn):
            self._end_turn(turn)

    def on_turn_over(self, message: TurnOver) -> None:
        message.stop()
        self._end_turn(message)

    def get_driver_class(self) -> type[Driver]:
        driver: type[Driver] = super().get_driver_class()  # type: ignore[misc]
        if driver.__name__ == "LinuxDriver":
            return escape_aware_driver() or driver
        return driver

    def _alt_bound(self, key: str) -> bool:
        app: App[object] = self  # type: ignore[assignment]
        return key in app.screen.active_bindings


class FieldInput(Input):
    """A text field whose Enter reads the value as typed up to Enter, not the keys typed behind it."""

    _changes_posted = 0
    _changes_seen_by_submit = 0

    async def action_submit(self) -> None:
        """Enter: the screen's ``on_input_submitted`` runs now, not when a posted message reaches it.

        Posted, it would read the field after the keys typed behind Enter had changed it. On
        a screen without one, Enter is Textual's own: a message, for whatever handles it.
        """
        handler = getattr(self.screen, "on_input_submitted", None)
        if handler is None:
            self.read_for_submit()
            await super().action_submit()
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


__all__ = [
    "HOLD_LIMIT",
    "EscapeThenKey",
    "EscapeThenKeyParser",
    "FieldInput",
    "TypeAhead",
    "escape_aware_driver",
    "focus_now",
    "hold_keys_for",
    "pass_on",
]
