"""What every dialog shares: its frame, its key line, and answering once."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.message import Message
from textual.screen import ModalScreen

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
    }
    """

    class Ready(Message):
        """The dialog is up and its first field has focus: keys typed ahead can come to it."""

    _answered = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual's own handler has given the first field focus by now.
        self.post_message(self.Ready())

    @property
    def answered(self) -> bool:
        """Whether the dialog has given its answer (it is closing)."""
        return self._answered

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
