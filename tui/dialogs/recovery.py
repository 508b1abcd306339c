"""Offer to restore the scenario that was being edited when ammoflow last stopped."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.confirm import ConfirmScreen

__all__ = ["RecoverAnswer", "RecoverScreen", "recovery_message"]

RecoverAnswer = Literal["restore", "discard", "later", "discard all"]
"""Restore this work; discard it (the next is offered); keep it and the rest for the next start;
discard it and every other copy still waiting."""


def recovery_message(saved_at: str, name: str, source: str | None) -> str:
    """The question the screen asks."""
    origin = f" (opened from {visible(source)})" if source else ""
    return f'ammoflow did not close cleanly. Restore the unsaved scenario "{visible(name)}" from {saved_at}{origin}?'


def scenarios(count: int) -> str:
    return f"{count:,} unsaved scenario" if count == 1 else f"{count:,} unsaved scenarios"


class RecoverScreen(Dialog[RecoverAnswer]):
    """Restore the unsaved scenario, discard it, or leave it (and any others) for the next start.

    ``r`` restores, ``d`` discards, ``escape`` or ``l`` leaves the work for later: a stray
    Escape never loses work. With ``waiting`` more copies after this one, the title says which
    of how many this is, and ``D`` discards them all after asking. ``enter`` presses the focused
    button (Restore has focus when the box opens).
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
        Binding("r", "answer('restore')", "Restore", id="recover.restore"),
        Binding("enter", "answer('restore')", "Restore (or the focused button)", show=False, id="recover.enter"),
        Binding("d", "answer('discard')", "Discard", id="recover.discard"),
        Binding("escape,l", "answer('later')", "Later", id="recover.later"),
        Binding("D", "discard_all", "Discard all", id="recover.discard_all"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="recover.previous"),
        Binding("right", "app.focus_next", "Next button", show=False, id="recover.next"),
    ]

    AUTO_FOCUS = "#restore"

    def __init__(self, saved_at: str, name: str, source: str | None, *, waiting: int = 0) -> None:
        super().__init__()
        self.saved_at = saved_at
        self.scenario_name = name
        self.source = source
        self.waiting = waiting  # further copies after this one

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Unsaved work" + (f" (1 of {self.waiting + 1:,})" if self.waiting else "")
        with dialog:
            yield Static(recovery_message(self.saved_at, self.scenario_name, self.source), id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Discard", id="discard", variant="default")
                yield Button("Later", id="later", variant="default")
                yield Button("Restore", id="restore", variant="primary")
            every = f" · {self.keys_of('recover.discard_all')} Discard all {self.waiting + 1:,}" if self.waiting else ""
            yield Static(
                f"{self.keys_of('recover.restore')}/{self.keys_of('recover.enter')} Restore · "
                f"{self.keys_of('recover.discard')} Discard{every} · {self.keys_of('recover.later')} Later",
                id="keys",
                markup=False,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "discard_all" or self.waiting > 0

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answers: dict[str | None, RecoverAnswer] = {"restore": "restore", "discard": "discard"}
        self.action_answer(answers.get(event.button.id, "later"))

    def action_answer(self, answer: RecoverAnswer) -> None:
        """Close with ``answer`` (only the first answer counts, even if keys were queued)."""
        self.answer(answer)

    def action_discard_all(self) -> None:
        """Discard this copy and every other one waiting, once the user says yes to the count."""
        if self.answered:
            return
        count = self.waiting + 1
        question = ConfirmScreen(
            "Discard all unsaved work?",
            f"Discard all {scenarios(count)} left by explorers that stopped? They cannot be restored afterwards.",
            yes="Discard all",
            danger=True,
        )
        self.app.push_screen(question, lambda yes: self.answer("discard all") if yes else None)
