"""A yes/no question in a small centred box."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["ConfirmScreen"]


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
            yield Static(f"y {self.yes_label} · n/esc {self.no_label}", id="keys", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with ``yes`` (only the first answer counts, even if keys were queued)."""
        self.answer(yes)
