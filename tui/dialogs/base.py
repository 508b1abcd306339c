"""What every dialog shares: its frame, its key line, and answering once."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from ammoflow.tui.keys import hold_keys_for

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog centred in a framed ``#dialog`` container, with a ``#keys`` line.

    Only its first answer counts: keys that arrive together (a double press, a slow link)
    would otherwise dismiss it twice, and the second dismissal would close the screen
    beneath it. A dialog's own CSS refines the frame (its width, its padding). Once up,
    it says so (:class:`Dialog.Ready`), for an app that held the keys typed ahead.
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & > #dialog {
            width: auto;
            max-width: 90%;
            height: auto;
            max-height: 90%;
            padding: 0 1;
            border: round $primary;
            border-title-style: bold;
            background: $surface;
        }
        & #buttons { height: auto; width: 100%; align-horizontal: right; }
        & #buttons Button { margin-left: 2; }
        & #keys { color: $foreground-muted; text-align: right; width: 100%; }
        &.-compact {
            & > #dialog { padding: 0 1; }
            & #buttons Button { min-width: 0; margin-left: 1; }
        }
    }
    """

    COMPACT_BELOW = Size(80, 24)
    """A screen narrower or shorter than this draws the dialog's buttons and fields compact: a row
    each, no frame (those its dialog draws compact stay so at every size). Framed, three buttons
    side by side need 62 columns and a form's fields three rows each, and at the smallest size the
    explorer allows (60x20) they were cut off."""

    class Ready(Message):
        """The dialog is up and its first field has focus: keys typed ahead can come to it."""

    _answered = False

    def on_mount(self) -> None:
        self._compact_below(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        self._compact_below(event.size)

    def _compact_below(self, size: Size) -> None:
        """Compact below :data:`COMPACT_BELOW`; above it, each button and field as its dialog made it."""
        small = size.width < self.COMPACT_BELOW.width or size.height < self.COMPACT_BELOW.height
        self.set_class(small, "-compact")
        designed = self.__dict__.setdefault("_designed_compact", {})  # widget -> compact as composed
        for widget in self.query("*"):
            if hasattr(type(widget), "compact"):  # Textual's buttons and fields: Button, Input, Select, lists
                own = designed.setdefault(widget, widget.compact)  # type: ignore[attr-defined]
                widget.compact = own or small  # type: ignore[attr-defined]

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual's own handler has given the first field focus by now.
        self.post_message(self.Ready())

    @property
    def answered(self) -> bool:
        """Whether the dialog has given its answer (it is closing)."""
        return self._answered

    def keys_of(self, binding_id: str) -> str:
        """The keys that do what binding ``binding_id`` does, as the footer shows them ("n/esc").

        They are this dialog's defaults, or what a ``[keymap]`` entry of the config file moved
        them to: a key line built from them never names a key that does something else.
        Asked while the dialog is composed (nothing in it has focus yet, so no field's own
        keys hide any).
        """
        keys = [
            # Enter by name, as beside "tab" in the same lines; Textual would draw a symbol.
            "enter" if active.binding.key == "enter" else self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.binding.id == binding_id and active.node is self
        ]
        return "/".join(keys)

    def answer(self, result: ResultType) -> None:
        """Dismiss with ``result``, unless an answer was given already.

        Keys typed after the answer are held (by an app that can) until what the answer
        leads to is ready: the next dialog, or the end of the action that opened this one.
        """
        if self._answered:
            return
        self._answered = True
        hold_keys_for(self)
        self.dismiss(result)


FormResult = TypeVar("FormResult")


class FormDialog(Dialog[FormResult | None]):
    """A form: Enter in a field or its ``#apply`` button answers what :meth:`validate` makes of
    the fields (None: a field is wrong and says why, so the form stays); any other button or
    escape answers None, changing nothing."""

    def validate(self) -> FormResult | None:
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        if self.answered:
            return
        found = self.validate()
        if found is not None:
            self.answer(found)

    def action_cancel(self) -> None:
        self.answer(None)
