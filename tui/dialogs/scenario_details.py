"""The scenario itself: its name, description and notes to read and edit, and the months it covers."""

from __future__ import annotations

from typing import ClassVar

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import MAX_MONTHS
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import FormDialog
from ammoflow.tui.dialogs.errors import FieldErrors
from ammoflow.tui.keys import FieldInput

__all__ = ["ScenarioScreen", "shown_text"]


def shown_text(text: str) -> str:
    """``text`` safe to put in a field: control characters written out, line breaks kept as line breaks.

    A file may hold anything; what it holds must neither drive the terminal nor hide in the
    field. A field left as shown gives back the original (:meth:`ScenarioScreen.validate`).
    """
    return "\n".join(visible(line) for line in text.split("\n"))


class ScenarioScreen(FieldErrors, FormDialog[Scenario]):
    """Name, description, notes, start month and horizon in one form; dismisses with the new scenario, or None.

    Everything is checked as a scenario file's text is (Scenario's own checks), each problem
    under its field. A new start or horizon goes through :meth:`Scenario.with_horizon`:
    a change at or before the new start is folded into the starting values, a change after
    the new end is dropped (docs/model.md, Gradual changes, for a phase-in the new start cuts).
    """

    DEFAULT_CSS = """
    ScenarioScreen {
        & #dialog { width: 84; }
        & .row { height: auto; width: 100%; margin-top: 1; }
        & .row > Label { width: 13; padding-right: 1; }
        & #name { width: 1fr; }
        & #start, & #months { width: 10; }
        & #months-label { width: 9; padding-left: 2; }
        & .row:first-of-type { margin-top: 0; }
        & .hint { width: 1fr; padding-left: 1; color: $foreground-muted; }
        & #description { height: 3; width: 1fr; }
        & #notes { height: 8; width: 1fr; }
        & #buttons { margin-top: 1; }
        & .error { color: $error; text-style: bold; padding-left: 14; display: none; }
        & .error.-shown { display: block; }
    }
    ScenarioScreen.-short #notes { height: 3; }
    ScenarioScreen.-compact .row { margin-top: 0; }  /* a small terminal: no blank rows */
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scenario.cancel"),
        Binding("enter", "apply", "Apply", id="scenario.apply"),
    ]

    AUTO_FOCUS = "#name"

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        dialog = Vertical(id="dialog")
        dialog.border_title = "Scenario"
        with dialog:
            with Horizontal(classes="row"):
                yield Label("Name")
                yield FieldInput(shown_text(scenario.name), id="name", compact=True)
            yield Static("", id="name-error", classes="error", markup=False)
            with Horizontal(classes="row"):
                yield Label("Description")
                yield TextArea(shown_text(scenario.description), id="description", compact=True, soft_wrap=True)
            with Horizontal(classes="row"):
                yield Label("Notes")
                yield TextArea(shown_text(scenario.notes), id="notes", compact=True, soft_wrap=True)
            with Horizontal(classes="row"):
                yield Label("Start")
                yield FieldInput(scenario.start, id="start", placeholder="YYYY-MM", compact=True)
                yield Label("Months", id="months-label")
                yield FieldInput(str(scenario.months), id="months", placeholder="48", compact=True)
                yield Static(f"1 to {MAX_MONTHS}", classes="hint")
            yield Static("", id="start-error", classes="error", markup=False)
            yield Static("", id="months-error", classes="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")
            yield Static(
                f"{self.keys_of('scenario.apply')} apply (outside the text boxes) · tab next field · "
                f"{self.keys_of('scenario.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < 30, "-short")

    # -- reading the form ----------------------------------------------------------

    def _text(self, field: str, original: str) -> str:
        """The field's text; as shown, the original (with whatever it held that the field wrote out)."""
        widget = self.query_one(f"#{field}")
        typed = widget.value if isinstance(widget, Input) else widget.text if isinstance(widget, TextArea) else ""
        return original if typed == shown_text(original) else typed

    def validate(self) -> Scenario | None:
        """The scenario the form describes, or None after showing what is wrong under each field."""
        for field in ("name", "start", "months"):
            self.show_error(field, "")
        scenario = self.scenario
        start = self.query_one("#start", Input).value.strip()
        months_text = self.query_one("#months", Input).value.strip().replace(",", "")
        months: int | None = None
        try:
            months = int(months_text)
        except ValueError:
            self.show_error("months", f"months must be a whole number from 1 to {MAX_MONTHS}")
        try:
            edited = attrs.evolve(
                scenario,
                name=self._text("name", scenario.name),
                description=self._text("description", scenario.description),
                notes=self._text("notes", scenario.notes),
            )
            if months is None:
                return None
            if (start, months) != (scenario.start, scenario.months):
                edited = edited.with_horizon(start, months)
        except ScenarioError as exc:
            for problem in exc.problems:
                field = next((f for f in ("start", "months", "name") if problem.message.startswith(f)), "months")
                self.show_error(field, problem.message)
            return None
        return edited

    # -- events ----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.show_error(event.input.id, "")
