"""Offer to restore the scenario that was being edited when ammoflow last stopped."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["RecoverScreen", "recovery_message"]


def recovery_message(saved_at: str, name: str, source: str | None) -> str:
    """The question the screen asks."""
    origin = f" (opened from {visible(source)})" if source else ""
    return f'ammoflow did not close cleanly. Restore the unsaved scenario "{visible(name)}" from {saved_at}{origin}?'


class RecoverScreen(Dialog[bool]):
    """Restore the unsaved scenario? Dismisses with True (restore) or False (discard).

    ``r`` restores, ``d`` and ``escape`` discard, ``enter`` presses the focused button
    (Restore has focus when the box opens).
    """

    DEFAULT_CSS = """
    RecoverScreen {
        & > #dialog {
            min-width: 40;
            padding: 1 2;
        }
        & #message { width: auto; max-width: 100%; margin-bottom: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer(True)", "Restore", id="recover.restore"),
        Binding("enter", "answer(True)", "Restore (or the focused button)", show=False, id="recover.enter"),
        Binding("d,escape", "answer(False)", "Discard", id="recover.discard"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="recover.previous"),
        Binding("right", "app.focus_next", "Next button", show=False, id="recover.next"),
    ]

    AUTO_FOCUS = "#restore"

    def __init__(self, saved_at: str, name: str, source: str | None) -> None:
        super().__init__()
        self.saved_at = saved_at
        self.scenario_name = name
        self.source = source

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Unsaved work"
        with dialog:
            yield Static(recovery_message(self.saved_at, self.scenario_name, self.source), id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Discard", id="discard", variant="default")
                yield Button("Restore", id="restore", variant="primary")
            yield Static("r/enter Restore · d/esc Discard", id="keys", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "restore")

    def action_answer(self, restore: bool) -> None:
        """Close with ``restore`` (only the first answer counts, even if keys were queued)."""
        self.answer(restore)
