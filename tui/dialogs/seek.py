"""Goal seek: which value of one parameter makes a key figure reach a target."""

from __future__ import annotations

from typing import ClassVar

import attrs
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ammoflow.scenarios.analysis.seek import SeekResult, goal_seek, target_number
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import BY_KEY as FIGURES_BY_KEY
from ammoflow.scenarios.model.figures import FIGURE_KEYS, FIGURES
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import ERROR_MARK
from ammoflow.tui.jobs import Job
from ammoflow.tui.keys import FieldInput
from ammoflow.tui.render.words import in_words

__all__ = ["DEFAULT_FIGURE", "SeekChoice", "SeekScreen", "target_hint"]

FOUND_MARK = "✓ "
NOTE_MARK = "note: "

DEFAULT_FIGURE = "first_shortfall_month"


@attrs.frozen
class SeekChoice:
    """Set ``parameter_key`` to ``value``: what the screen found, for the explorer to apply as one change."""

    parameter_key: str
    value: float


def target_hint(figure_key: str) -> str:
    """How a target for ``figure_key`` is typed."""
    kind = FIGURES_BY_KEY[figure_key].kind
    if kind == "month":
        return "YYYY-MM or never, e.g. 2026-01"
    if kind == "share":
        return "a share, e.g. 40% or 0.4"
    return f"{kind}, e.g. 15,000, 2.5k or 2M"


def _placeholder(figure_key: str) -> str:
    return "YYYY-MM or never" if FIGURES_BY_KEY[figure_key].kind == "month" else "a number"


Inputs = tuple[str, str, str]
"""(parameter key, figure key, target as typed, stripped)."""


class SeekScreen(Dialog[SeekChoice | None]):
    """Find the value of a parameter at which a key figure reaches a target.

    Pick the parameter and the figure, type the target and press enter: the search
    (:func:`ammoflow.scenarios.analysis.seek.goal_seek`) runs in a thread, so keys keep working and
    "working…" shows when it takes a while. Its answer is shown in words. When it found
    a value, enter (or ``a`` outside the target field, or the Apply button) dismisses
    with a :class:`SeekChoice`; changing any field first asks for a new search.
    Escape dismisses with None. A target that cannot be read shows one "✗ " line.
    """

    DEFAULT_CSS = """
    SeekScreen {
        & > #dialog {
            max-width: 100%;
            max-height: 100%;
        }
        & #intro { color: $foreground-muted; width: 76; max-width: 100%; }
        & .row { height: auto; width: 76; max-width: 100%; }
        & .row > Label { width: 11; padding: 1 1 0 0; }
        & #parameter, & #figure { width: 1fr; }
        & #target { width: 26; }
        & #hint { width: 1fr; padding: 1 0 0 1; color: $foreground-muted; }
        &.-compact .row > Label, &.-compact #hint { padding-top: 0; }  /* beside one-row fields */
        & #status { width: 76; max-width: 100%; height: auto; max-height: 5; }
        & #status.-error { color: $error; text-style: bold; }
        & #status.-working { color: $foreground-muted; text-style: italic; }
        & #status.-found { color: $text-success; }
        & #apply-note { color: $foreground-muted; width: 76; max-width: 100%; display: none; }
        & #apply-note.-shown { display: block; }
        & #buttons, & #keys { width: 76; max-width: 100%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="seek.cancel"),
        Binding("enter", "run", "Seek (or apply the value found)", id="seek.run"),
        Binding("a", "apply", "Apply the value found", id="seek.apply"),
    ]

    AUTO_FOCUS = "#target"

    def __init__(
        self,
        scenario: Scenario,
        parameter: str | None = None,
        *,
        figure: str | None = None,
        target: str = "",
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self._problems: list[str] = []
        if parameter is not None and parameter not in registry.BY_KEY:
            self._problems.append(registry.unknown_key_message("parameter", parameter, registry.KEYS))
            parameter = None
        if figure is not None and figure not in FIGURES_BY_KEY:
            self._problems.append(registry.unknown_key_message("key figure", figure, FIGURE_KEYS))
            figure = None
        self.parameter = parameter or registry.KEYS[0]
        self.figure = figure or DEFAULT_FIGURE
        self.target = target
        self.result: SeekResult | None = None
        """The last search's answer, while it matches the fields."""
        self._result_for: Inputs | None = None
        self._job: Job[Inputs, SeekResult] = Job(
            self,
            lambda inputs, _stopped: goal_seek(self.scenario, *inputs),
            done=self._searched,
            failed=self._search_failed,
            slow=self._say_working,
            describe=_search_error,
            name="seek",
        )
        self._last_inputs: Inputs | None = None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Goal seek"
        with dialog:
            yield Static(
                "Which value of one parameter makes a key figure reach a target?",
                id="intro",
                markup=False,
            )
            with Horizontal(classes="row"):
                yield Label("Parameter")
                yield Select(
                    [(p.label, p.key) for p in registry.PARAMETERS],
                    value=self.parameter,
                    allow_blank=False,
                    id="parameter",
                )
            with Horizontal(classes="row"):
                yield Label("Key figure")
                yield Select(
                    [(f.label, f.key) for f in FIGURES],
                    value=self.figure,
                    allow_blank=False,
                    id="figure",
                )
            with Horizontal(classes="row"):
                yield Label("Target")
                yield FieldInput(self.target, id="target", placeholder=_placeholder(self.figure))
                yield Label(target_hint(self.figure), id="hint", markup=False)
            yield Static("", id="status", markup=False)
            yield Static("", id="apply-note", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Seek", id="seek")
                yield Button("Apply", id="apply", variant="primary", disabled=True)
            yield Static(
                f"{self.keys_of('seek.run')} seek, again to apply · {self.keys_of('seek.apply')} apply · "
                f"{self.keys_of('seek.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._last_inputs = self.inputs
        self._describe_figure()
        if self._problems:
            self._set_status(f"{ERROR_MARK}{'; '.join(self._problems)}", "-error")

    # -- reading the form ----------------------------------------------------------

    @property
    def inputs(self) -> Inputs:
        """(parameter, figure, target) as the fields hold them now."""
        parameter = self.query_one("#parameter", Select).value
        figure = self.query_one("#figure", Select).value
        return (
            parameter if isinstance(parameter, str) else "",
            figure if isinstance(figure, str) else "",
            self.query_one("#target", Input).value.strip(),
        )

    @property
    def status(self) -> str:
        """The status line: the answer, "working…", or a "✗ " error ('' when empty)."""
        return str(self.query_one("#status", Static).content)

    @property
    def can_apply(self) -> bool:
        """A value was found for the fields as they are."""
        result = self.result
        return result is not None and result.found and result.value is not None and self._result_for == self.inputs

    def _describe_figure(self) -> None:
        figure = self.inputs[1] or self.figure
        self.query_one("#hint", Label).update(target_hint(figure))
        self.query_one("#target", Input).placeholder = _placeholder(figure)

    def _set_status(self, text: str, kind: str = "") -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        for name in ("-error", "-working", "-found"):
            status.set_class(name == kind, name)

    def _show_result(self, result: SeekResult | None) -> None:
        self.result = result
        self._result_for = self.inputs if result is not None else None
        note = self.query_one("#apply-note", Static)
        if self.can_apply and result is not None and result.value is not None:
            parameter = registry.BY_KEY[result.parameter_key]
            current = self.scenario.values[result.parameter_key]
            note.update(
                f"Apply sets {parameter.label} to {parameter.format(parameter.rounded(result.value))}"
                f" (now {parameter.format(current)})."
            )
            note.set_class(True, "-shown")
        else:
            note.update("")
            note.set_class(False, "-shown")
        self.query_one("#apply", Button).disabled = not self.can_apply

    def _forget_result(self) -> None:
        """The fields changed: the answer on screen is for other ones."""
        self._show_result(None)
        self._set_status("")

    # -- searching -------------------------------------------------------------------

    def action_run(self) -> None:
        """Apply the value found for these fields, or search for one."""
        if self.answered:
            return
        inputs = self.inputs
        if self._result_for == inputs:
            self.action_apply()  # nothing happens when the answer was "cannot be reached"
            return
        if self._job.asked == inputs:
            return  # already searching for exactly this
        parameter, figure, typed = inputs
        problem = self._check(parameter, figure, typed)
        if problem:
            self._cancel_search()
            self._show_result(None)
            self._set_status(f"{ERROR_MARK}{problem}", "-error")
            return
        self._show_result(None)
        self._set_status("")
        self._job.start(inputs)

    def _check(self, parameter: str, figure: str, typed: str) -> str:
        """Why the fields cannot be searched ('' when they can)."""
        if parameter not in registry.BY_KEY:
            return "pick a parameter"
        if figure not in FIGURES_BY_KEY:
            return "pick a key figure"
        if not typed:
            return f"type a target: {target_hint(figure)}"
        try:
            target_number(self.scenario, figure, typed)
        except ScenarioError as exc:
            return "; ".join(exc.lines())
        return ""

    def _cancel_search(self) -> None:
        self._job.cancel()

    def _say_working(self, _inputs: Inputs) -> None:
        self._set_status("working…", "-working")

    def _search_failed(self, inputs: Inputs, error: str) -> None:
        if self.answered or inputs != self.inputs:
            return  # the screen is closing, or the fields changed since
        self._show_result(None)
        self._set_status(f"{ERROR_MARK}{in_words(error)}", "-error")

    def _searched(self, inputs: Inputs, result: SeekResult) -> None:
        if self.answered or inputs != self.inputs:
            return  # the screen is closing, or the fields changed since
        self._show_result(result)
        message = in_words(result.message)  # the labels, as the sliders show them
        if self.can_apply:
            self._set_status(f"{FOUND_MARK}{message}", "-found")
        else:
            self._set_status(message)

    # -- events ----------------------------------------------------------------------

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "figure":
            self._describe_figure()
        self._fields_changed()

    @on(Input.Changed, "#target")
    def _target_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fields_changed()

    def _fields_changed(self) -> None:
        inputs = self.inputs
        if inputs == self._last_inputs:
            return  # a Select announcing the value it was given
        self._last_inputs = inputs
        if self._job.asked is not None and self._job.asked != self.inputs:
            self._cancel_search()
            self._set_status("")
        if self._result_for is not None and self._result_for != self.inputs:
            self._forget_result()
        elif "-error" in self.query_one("#status", Static).classes:
            self._set_status("")  # the fields the message was about have changed

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run()  # the target, the one field

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "seek":
            self.action_run()
        else:
            self.action_cancel()

    # -- answers -----------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.answered or not self.can_apply or self._result_for != self.inputs:
            return
        assert self.result is not None and self.result.value is not None
        self._cancel_search()
        # Kept to the parameter's resolution: a value between slider points has no more digits than it needs.
        parameter = registry.BY_KEY[self.result.parameter_key]
        self.answer(SeekChoice(parameter.key, parameter.rounded(float(self.result.value))))

    def action_cancel(self) -> None:
        if not self.answered:
            self._cancel_search()
            self.answer(None)


def _search_error(exc: Exception) -> str:
    """A search that raised, in the status line: a scenario's own words, or what went wrong."""
    if isinstance(exc, ScenarioError):
        return "; ".join(exc.lines())
    return f"the search failed: {exc}"
