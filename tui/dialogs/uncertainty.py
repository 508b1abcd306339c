"""Monte Carlo settings: how many runs, drawn how, from which seed, and which rates drift."""

from __future__ import annotations

from typing import ClassVar

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.input import Selection

from ammoflow.scenarios.model.numbers import format_number, parse_count
from ammoflow.scenarios.model.scenario import (
    DISTRIBUTIONS,
    MAX_RUNS,
    MAX_SEED,
    SAMPLINGS,
    Scenario,
    Uncertainty,
    format_drift,
    parse_drift,
)
from ammoflow.tui.dialogs.base import FormDialog
from ammoflow.tui.dialogs.errors import FieldErrors
from ammoflow.tui.keys import FieldInput

__all__ = ["UncertaintyScreen"]

DESCRIPTIONS = {
    "triangular": "triangular: most often near the scenario's value",
    "uniform": "uniform: any value in the range as likely",
    "random": "random: each run drawn on its own",
    "latin-hypercube": "Latin hypercube: every part of each range covered evenly",
}


class UncertaintyScreen(FieldErrors, FormDialog[Uncertainty]):
    """A form for a scenario's :class:`Uncertainty` settings; dismisses with new ones, or None.

    The ranges a scenario sets for single parameters (``[uncertainty.ranges]``) are kept
    as they are; the form says how many there are. Drift (``[uncertainty] drift``) is a
    field of its own: the drifting parameters, each with its percent a month or none for
    its default (docs/model.md, Drift).
    """

    DEFAULT_CSS = """
    UncertaintyScreen {
        & #intro, & #ranges { color: $foreground-muted; width: 70; max-width: 100%; }
        & .row { height: auto; width: 70; max-width: 100%; margin-top: 1; }
        & .row > Label { width: 14; padding-right: 1; }
        & #runs, & #seed { width: 20; }
        & #drift { width: 1fr; }
        & .row > Select { width: 1fr; }
        & .hint { width: 1fr; padding-left: 2; color: $foreground-muted; }
        & #ranges { margin-top: 1; }
        & #buttons { margin-top: 1; }
        & .error { color: $error; text-style: bold; padding-left: 14; display: none; }
        & .error.-shown { display: block; }
        &.-compact .row, &.-compact #ranges { margin-top: 0; }  /* a small terminal: no blank rows */
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="uncertainty.cancel"),
        Binding("enter", "apply", "Apply the settings", id="uncertainty.apply"),
    ]

    AUTO_FOCUS = "#runs"

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        settings = self.scenario.uncertainty
        dialog = Vertical(id="dialog")
        dialog.border_title = "Uncertainty settings"
        with dialog:
            yield Static(
                "How the bands (u) and `ammoflow uncertainty` draw their runs.",
                id="intro",
                markup=False,
            )
            with Horizontal(classes="row"):
                yield Label("Runs")
                yield FieldInput(format_number(settings.runs), id="runs", placeholder="1,000", compact=True)
                yield Static(f"1 to {format_number(MAX_RUNS)}", classes="hint")
            yield Static("", id="runs-error", classes="error", markup=False)
            with Horizontal(classes="row"):
                yield Label("Distribution")
                yield Select(
                    [(DESCRIPTIONS[d], d) for d in DISTRIBUTIONS],
                    value=settings.distribution,
                    allow_blank=False,
                    id="distribution",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label("Sampling")
                yield Select(
                    [(DESCRIPTIONS[s], s) for s in SAMPLINGS],
                    value=settings.sampling,
                    allow_blank=False,
                    id="sampling",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label("Seed")
                yield FieldInput(str(settings.seed), id="seed", placeholder="0", compact=True)
                yield Static("same seed, same runs", classes="hint")
            yield Static("", id="seed-error", classes="error", markup=False)
            with Horizontal(classes="row"):
                yield Label("Drift")
                yield FieldInput(
                    format_drift(settings.drift),
                    id="drift",
                    placeholder="ru_fire_rate 4, containers_per_month",
                    compact=True,
                )
            yield Static("", id="drift-error", classes="error", markup=False)
            yield Static(self._ranges_note(), id="ranges", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")
            yield Static(
                f"{self.keys_of('uncertainty.apply')} apply · tab next field · "
                f"{self.keys_of('uncertainty.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def _ranges_note(self) -> str:
        ranges = self.scenario.uncertainty.ranges
        if not ranges:
            return "Ranges: the parameters' own (a scenario file may set others)."
        listed = ", ".join(sorted(ranges))
        return f"Ranges this scenario sets, kept: {listed}."

    def on_mount(self) -> None:
        runs = self.query_one("#runs", Input)
        runs.selection = Selection(0, len(runs.value))

    # -- reading the form ----------------------------------------------------------------

    def validate(self) -> Uncertainty | None:
        """The settings the form describes, or None after showing what is wrong."""
        found: dict[str, int] = {}
        for field, what, low, high in (("runs", "runs", 1, MAX_RUNS), ("seed", "the seed", 0, MAX_SEED)):
            try:
                found[field] = parse_count(self.query_one(f"#{field}", Input).value, what, low, high)
                self.show_error(field, "")
            except ValueError as exc:
                self.show_error(field, str(exc))
        drift = None
        try:
            drift = parse_drift(self.query_one("#drift", Input).value)
            self.show_error("drift", "")
        except ValueError as exc:
            self.show_error("drift", str(exc))
        if len(found) < 2 or drift is None:
            return None
        return attrs.evolve(
            self.scenario.uncertainty,
            runs=found["runs"],
            seed=found["seed"],
            drift=drift,
            distribution=str(self.query_one("#distribution", Select).value),
            sampling=str(self.query_one("#sampling", Select).value),
        )

    # -- events ----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("runs", "seed", "drift"):
            self.show_error(event.input.id, "")
