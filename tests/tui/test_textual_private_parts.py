"""The parts of Textual that ``ammoflow.tui.keys`` relies on and Textual does not promise to keep.

A new Textual may change any of them without notice; each test names the part, so that an
upgrade fails here, loudly, rather than as keys that quietly go astray.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import ClassVar

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from ammoflow.tui.keys import EscapeThenKey, EscapeThenKeyParser, TypeAhead, escape_aware_driver


def changed(part: str, use: str) -> str:
    return f"Textual {version('textual')} changed {part}, which ammoflow.tui.keys relies on to {use}"


def test_textual_is_the_major_version_keys_was_written_for() -> None:
    assert version("textual").split(".")[0] == "8", changed("its major version", "route keys (check every part)")


class Probe(Message):
    """Posted by the focused widget once it has handled a key, as TypeAhead's TurnOver is."""


class Target(Static, can_focus=True):
    def on_key(self, event: events.Key) -> None:
        self.call_later(lambda: self.post_message(Probe()))


class BoundHost(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "mark", "Mark")]
    marked = 0

    def __init__(self) -> None:
        super().__init__()
        self.marked_when_probed: list[int] = []

    def compose(self) -> ComposeResult:
        yield Target("here")

    def action_mark(self) -> None:
        self.marked += 1

    def on_probe(self, message: Probe) -> None:
        self.marked_when_probed.append(self.marked)


async def test_a_key_runs_its_binding_before_what_its_widget_posts_after_it_reaches_the_app() -> None:
    app = BoundHost()
    async with app.run_test() as pilot:
        app.query_one(Target).focus()
        await pilot.pause()
        key = events.Key("x", "x")
        await app.on_event(key)
        assert key.is_forwarded, changed("App.on_event (it no longer forwards the key itself)", "see it routed")
        await pilot.pause()
        assert app.marked_when_probed == [1], changed("how a key bubbles up to the bindings", "end a key's turn")


def test_the_parser_hands_escape_and_a_key_to_sequence_to_key_events() -> None:
    parameters = list(inspect.signature(XTermParser._sequence_to_key_events).parameters)
    assert parameters == ["self", "sequence", "alt"], changed("XTermParser._sequence_to_key_events", "read Esc+key")
    keys = [event for event in EscapeThenKeyParser().feed("\x1b3\x1bb\x1b[B") if isinstance(event, events.Key)]
    assert [(type(k), k.key) for k in keys] == [
        (EscapeThenKey, "alt+3"),
        (EscapeThenKey, "alt+b"),
        (events.Key, "down"),
    ], changed("how XTermParser reads Escape followed by a key", "read Esc+key as the two keys")


def test_the_linux_driver_makes_its_parser_by_the_name_xtermparser() -> None:
    from textual.drivers import linux_driver

    read = linux_driver.LinuxDriver.run_input_thread
    assert "XTermParser" in read.__code__.co_names, changed("LinuxDriver.run_input_thread", "give it our parser")
    driver = escape_aware_driver()
    assert driver is not None and issubclass(driver, linux_driver.LinuxDriver)
    assert driver.run_input_thread.__globals__["XTermParser"] is EscapeThenKeyParser


def test_the_app_runs_in_the_driver_that_reads_escape_then_a_key() -> None:
    class Routed(TypeAhead, App[None]):
        pass

    driver = Routed().get_driver_class()
    assert driver.__name__ == "EscapeAwareDriver", changed("App.get_driver_class", "choose the driver")


@pytest.mark.parametrize(
    ("owner", "name"),
    [(events.Key, "is_forwarded"), (Screen, "active_bindings")],
)
def test_the_public_parts_keys_reads_are_there(owner: type, name: str) -> None:
    assert isinstance(inspect.getattr_static(owner, name), property), changed(f"{owner.__name__}.{name}", "route")


def test_screen_set_focus_can_skip_scrolling() -> None:
    assert "scroll_visible" in inspect.signature(Screen.set_focus).parameters, changed("Screen.set_focus", "focus")
