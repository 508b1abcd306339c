"""A yes/no question in a small centred box."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["ConfirmScreen", "QuitAnswer", "QuitScreen"]


class ConfirmScreen(Dialog[bool]):
    """Ask a question; dismisses with True for yes and False for no.

    ``y`` answers yes, ``n`` and ``escape`` answer no, ``enter`` presses the focused
    button (yes has focus when the box opens, or Cancel when ``danger``). ``danger`` marks the yes
    answer as destructive (red border and button).
    """

    DEFAULT_CSS = """
    ConfirmScreen {
        & > #dialog {
            min-width: 40;
            padding: 1 2;
        }
        &.-danger > #dialog { border: round $error; }
        & #title { text-style: bold; width: auto; max-width: 100%; }
        & #message { width: auto; max-width: 100%; margin: 1 0; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("enter", "answer(True)", "Yes (or the focused button)", show=False, id="confirm.enter"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="confirm.previous"),
        Binding("right", "app.focus_next", "Next button", show=False, id="confirm.next"),
    ]

    AUTO_FOCUS = "#yes"

    def __init__(
        self,
        title: str,
        message: str,
        *,
        yes: str = "Yes",
        no: str = "Cancel",
        danger: bool = False,
    ) -> None:
        super().__init__(classes="-danger" if danger else None)
        self.title_text = title
        self.message = message
        self.yes_label = yes
        self.no_label = no
        self.danger = danger
        # A destructive answer is never one stray Enter away: Cancel has the focus then.
        self.AUTO_FOCUS = "#no" if danger else "#yes"  # type: ignore[misc]  # Textual reads it from the instance

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # The question may quote a path anyone chose: shown with its control characters written out.
            yield Static(visible(self.title_text), id="title", markup=False)
            yield Static(visible(self.message), id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button(self.no_label, id="no", variant="default")
                yield Button(self.yes_label, id="yes", variant="error" if self.danger else "primary")
            yield Static(
                f"{self.keys_of('confirm.yes')} {self.yes_label} · {self.keys_of('confirm.no')} {self.no_label}",
                id="keys",
                markup=False,
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with ``yes`` (only the first answer counts, even if keys were queued)."""
        self.answer(yes)


QuitAnswer = Literal["save", "quit", "stay"]


class QuitScreen(Dialog[QuitAnswer]):
    """Quit over unsaved changes: save and quit, quit without saving, or stay.

    ``s`` or ``ctrl+s`` saves and quits, ``y`` (yes, quit) or ``d`` (discard) quits without saving, ``n`` or
    ``escape`` stays. Stay has the focus when the box opens: no stray Enter loses work.
    """

    DEFAULT_CSS = """
    QuitScreen {
        /* As wide as its three buttons and its key line: the dialog takes its width from the message. */
        & > #dialog { min-width: 68; padding: 1 2; border: round $error; }
        & #title { text-style: bold; width: auto; max-width: 100%; }
        & #message { width: auto; max-width: 100%; margin: 1 0; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ctrl+s", "answer('save')", "Save and quit", id="quit.save"),
        Binding("y,d", "answer('quit')", "Quit without saving", id="quit.discard"),
        Binding("n,escape", "answer('stay')", "Stay", id="quit.stay"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="quit.previous"),
        Binding("right", "app.focus_next", "Next button", show=False, id="quit.next"),
    ]

    AUTO_FOCUS = "#stay"

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Unsaved changes", id="title")
            yield Static(visible(f"The scenario has changes not saved {self.where}."), id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Stay", id="stay", variant="default")
                yield Button("Quit without saving", id="quit", variant="error")
                yield Button("Save and quit", id="save", variant="primary")
            yield Static(
                f"{self.keys_of('quit.save')} save and quit · {self.keys_of('quit.discard')} quit without saving · "
                f"{self.keys_of('quit.stay')} stay",
                id="keys",
                markup=False,
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answers: dict[str | None, QuitAnswer] = {"save": "save", "quit": "quit"}
        self.answer(answers.get(event.button.id, "stay"))

    def action_answer(self, answer: QuitAnswer) -> None:
        """Close with ``answer`` (only the first counts, even if keys were queued)."""
        self.answer(answer)
