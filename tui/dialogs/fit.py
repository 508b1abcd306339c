"""Fit one to three parameters, or one parameter's pace per period, to the dated observations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.strip import Strip
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist

from ammoflow.scenarios.analysis.fit import MAX_KEYS, FitResult, fit
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import describe_observed
from ammoflow.scenarios.model.numbers import format_number, format_whole
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import ERROR_MARK
from ammoflow.tui.jobs import Job
from ammoflow.tui.keys import FieldInput
from ammoflow.tui.render.words import in_words

__all__ = ["DEFAULT_KEYS", "MODES", "FitScreen", "fitted_text", "residual_table", "scale_table"]

FOUND_MARK = "✓ "
NOTE_MARK = "note: "
"""Seconds a fit may take before "working…" is shown."""

DEFAULT_KEYS: tuple[str, ...] = ("containers_per_month",)
TOO_MANY = "pick at most three parameters: the observations cannot tell more apart"
TOO_FEW = "pick at least one parameter (space toggles)"
METRIC_NAMES = {"cumulative_containers": "containers", "cumulative_rounds": "rounds"}
MODES = (("one value", "one"), ("per year", "year"), ("from months", "from"))
ONE_KEY = "a pace per period is fitted for one parameter: pick just one"
NO_MONTHS = "list the months the steps start, e.g. 2024-01,2024-07"

Asked = tuple[tuple[str, ...], str, tuple[str, ...]]  # (keys, mode, months listed): what a fit is for


def fitted_text(parameter: registry.Parameter, value: float) -> str:
    """A fitted value to the resolution the fit searches (a quarter of the slider step), with its unit."""
    return parameter.format(value, resolution=parameter.step / 4)


def residual_table(result: FitResult) -> Table:
    """One row per observation used: date, metric, what was said, the fit, and whether they agree.

    The verdict starts with a sign (✓ or ✗), so agreement never rests on colour.
    """
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("date")
    table.add_column("metric")
    table.add_column("observed", justify="right")
    table.add_column("fitted", justify="right")
    table.add_column("verdict")
    for row in result.rows:
        table.add_row(
            row.day.isoformat(),
            METRIC_NAMES.get(row.metric, row.metric),
            Text(describe_observed(row.observation)),
            format_whole(row.fitted),
            Text(("✓ " if row.consistent else "✗ ") + row.verdict),
        )
    return table


def scale_table(result: FitResult) -> Table:
    """Each claimant's scale at the fit: what they report per true count, with its 90% interval."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("claimant")
    table.add_column("scale", justify="right")
    table.add_column("90% interval", justify="right")
    for claimant, estimate in result.scales.items():
        table.add_row(Text(claimant or "(unnamed)"), f"{estimate.mean:.2f}", f"{estimate.p5:.2f} to {estimate.p95:.2f}")
    return table


def describe(result: FitResult, scenario: Scenario) -> RenderableType:
    """The fit in words and a table: values old → new, the score, notes, residuals."""
    lines: list[Text] = []
    if result.steps:
        (key,) = result.keys
        parameter = registry.BY_KEY[key]
        lines.append(Text.assemble((parameter.label, "bold"), " as a pace per period:"))
        for step in result.steps:
            old = fitted_text(parameter, step.before).removesuffix(f" {parameter.unit}")
            new = fitted_text(parameter, step.value)
            lines.append(Text.assemble(f"  from {step.month}  {old} → ", (new, "bold")))
    else:
        width = max(len(registry.BY_KEY[key].label) for key in result.keys)
        for key in result.keys:
            parameter = registry.BY_KEY[key]
            old = fitted_text(parameter, scenario.values[key]).removesuffix(f" {parameter.unit}")
            new = fitted_text(parameter, result.values[key])
            lines.append(Text.assemble((parameter.label.ljust(width), "bold"), f"  {old} → ", (new, "bold")))
    consistent = len(result.rows) - len(result.inconsistent)
    lines.append(
        Text(
            f"negative log-likelihood {result.score_before:.4g} → {result.score:.4g} (lower fits better); "
            f"{consistent} of {len(result.rows)} observations consistent"
        )
    )
    for label in result.uninformed:
        lines.append(
            Text(f"{NOTE_MARK}the observations do not depend on {in_words(label)}; it keeps its value", style="italic")
        )
    for label in result.at_edge:
        key = label.split(" ", 1)[0]
        parameter = registry.BY_KEY[key]
        value = next((s.value for s in result.steps if f"{key} from {s.month}" == label), result.values[key])
        end = "low" if value <= parameter.low else "high"
        lines.append(
            Text(
                f"{NOTE_MARK}{in_words(label)} ended at the {end} end of its range "
                f"({format_number(parameter.low)} to {format_number(parameter.high)}); "
                "the best fit may lie beyond it",
                style="italic",
            )
        )
    if not result.met:
        lines.append(Text(f"{NOTE_MARK}no value meets every bound observed; the fit comes as near as it can", "italic"))
    if not result.converged:
        lines.append(
            Text(
                f"{NOTE_MARK}the steps still moved after {result.sweeps} sweeps; fewer steps fit surer", style="italic"
            )
        )
    if result.skipped:
        reasons = sorted({why for _, why in result.skipped})
        count = len(result.skipped)
        noun = "observation" if count == 1 else "observations"
        lines.append(Text(f"{NOTE_MARK}{count} {noun} not used: {'; '.join(reasons)}", style="italic"))
    lines.append(Text(""))
    return Group(
        *lines, residual_table(result), Text(""), Text("Each claimant's scale (reported / true)"), scale_table(result)
    )


class _ParameterList(SelectionList[str]):
    """The parameters to fit; space toggles, enter fits (instead of toggling).

    A picked parameter's box shows an X and an unpicked one is blank: Textual's list
    marks both with an X told apart by colour alone, which NO_COLOR and monochrome
    terminals do not show.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.run", "Fit (or apply the fit)", show=False, id="fit.run_from_list"),
    ]

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if option.value in self._selected:
            return line
        segments = list(line)
        left, inner = segments[0], segments[1]
        if left.text != Checkbox.BUTTON_LEFT or inner.text != Checkbox.BUTTON_INNER:
            return line  # not the box this was written against: leave the line as Textual drew it
        segments[1] = Segment(" " * len(inner.text), inner.style)
        return Strip(segments, line.cell_length)


class FitScreen(Dialog[FitResult | None]):
    """Fit parameters to the observations; dismisses with the fit (its scenario is what to apply).

    Space picks parameters (``containers_per_month`` at first); "Fit as" chooses one value
    (1 to 3 starting values), a pace per year or steps from months listed (one parameter);
    enter fits (:func:`ammoflow.scenarios.analysis.fit.fit`, in a thread: keys keep working,
    "working…" shows after a moment). The answer shows the values old → new, the negative
    log-likelihood before and after, notes (a value at an end of its range, a parameter the
    observations do not depend on, observations not used), each observation's verdict and
    each claimant's scale. Once fitted, enter again (or ``a``, or Apply) dismisses with the
    :class:`FitResult`; changing the form first asks for a new fit. Escape dismisses with None.
    """

    DEFAULT_CSS = """
    FitScreen {
        & > #dialog {
            width: 100%;
            max-width: 100;
            height: 100%;
            max-height: 40;
        }
        & #intro { color: $foreground-muted; width: 1fr; height: auto; }
        & #parameters { height: 1fr; min-height: 5; max-height: 12; width: 1fr; }
        & #how { height: auto; width: 1fr; }
        & #how > Label { width: auto; padding: 0 1 0 0; }
        & #how > Select { width: 20; }
        & #how > Input { width: 1fr; }
        & #status { width: 1fr; height: auto; max-height: 2; }
        & #status.-error { color: $error; text-style: bold; }
        & #status.-working { color: $foreground-muted; text-style: italic; }
        & #status.-found { color: $text-success; }
        & #results { height: 2fr; min-height: 5; width: 1fr; }
        & #results > #result { width: 1fr; height: auto; }
        & #buttons, & #keys { width: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="fit.cancel"),
        Binding("enter", "run", "Fit (or apply the fit)", id="fit.run"),
        Binding("a", "apply", "Apply the fit", id="fit.apply"),
    ]

    AUTO_FOCUS = "#parameters"

    def __init__(
        self,
        scenario: Scenario,
        observations: Sequence[Observation] | None = None,
        *,
        keys: Sequence[str] = DEFAULT_KEYS,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.observations = tuple(observations) if observations is not None else None
        self.initial_keys = tuple(key for key in keys if key in registry.BY_KEY)
        self.result: FitResult | None = None
        """The last fit, while the form is the one it was made for."""
        self._result_for: Asked | None = None
        self._job: Job[Asked, FitResult] = Job(
            self,
            lambda asked, _stopped: self._fit(asked),
            done=self._fitted,
            failed=self._fit_failed,
            slow=self._say_working,
            describe=_fit_error,
            name="fit",
        )

    def _fit(self, asked: Asked) -> FitResult:
        keys, mode, months = asked
        if mode == "one":
            return fit(self.scenario, keys, self.observations)
        if mode == "year":
            return fit(self.scenario, keys, self.observations, per="year")
        return fit(self.scenario, keys, self.observations, steps_from=months)

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Fit to observations"
        count = f"{len(self.observations)}" if self.observations is not None else "the shipped"
        with dialog:
            yield Static(
                f"Fit 1-{MAX_KEYS} starting values, or one parameter's pace per period, to {count} dated "
                "observations: space picks, enter fits.",
                id="intro",
                markup=False,
            )
            yield _ParameterList(
                *[
                    (Text.assemble(p.label, (f"  {p.key}", "dim")), p.key, p.key in self.initial_keys)
                    for p in registry.PARAMETERS
                ],
                id="parameters",
            )
            with Horizontal(id="how"):
                yield Label("Fit as")
                yield Select(MODES, value="one", allow_blank=False, id="mode", compact=True)
                yield FieldInput(
                    "", id="months", placeholder="from months: 2024-01,2024-07", compact=True, disabled=True
                )
            yield Static("", id="status", markup=False)
            with VerticalScroll(id="results"):
                yield Static("", id="result")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Fit", id="fit")
                yield Button("Apply", id="apply", variant="primary", disabled=True)
            yield Static(
                f"{self.keys_of('fit.run')} fit, again to apply · space pick · tab fit as · "
                f"{self.keys_of('fit.apply')} apply · {self.keys_of('fit.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        if self.initial_keys:  # start on the first parameter picked, so it is in view
            self.query_one(_ParameterList).highlighted = registry.KEYS.index(self.initial_keys[0])

    # -- reading the form ----------------------------------------------------------

    @property
    def selected(self) -> tuple[str, ...]:
        """The parameters picked, in the registry's order."""
        picked = set(self.query_one(_ParameterList).selected)
        return tuple(key for key in registry.KEYS if key in picked)

    @property
    def mode(self) -> str:
        """How to fit: "one" (starting values), "year" (a pace per year) or "from" (steps from months)."""
        return str(self.query_one("#mode", Select).value)

    @property
    def months(self) -> tuple[str, ...]:
        """The months listed for steps ("from" only), as typed, split at commas."""
        if self.mode != "from":
            return ()
        text = self.query_one("#months", Input).value
        return tuple(month.strip() for month in text.split(",") if month.strip())

    @property
    def asked(self) -> Asked:
        return (self.selected, self.mode, self.months)

    @property
    def status(self) -> str:
        """The status line: "working…", a "✗ " error or what was fitted ('' when empty)."""
        return str(self.query_one("#status", Static).content)

    @property
    def can_apply(self) -> bool:
        return self.result is not None and self._result_for == self.asked

    def _set_status(self, text: str, kind: str = "") -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        for name in ("-error", "-working", "-found"):
            status.set_class(name == kind, name)

    def _show_result(self, result: FitResult | None) -> None:
        self.result = result
        self._result_for = self.asked if result is not None else None
        shown = self.query_one("#result", Static)
        shown.update(describe(result, self.scenario) if result is not None else "")
        self.query_one("#apply", Button).disabled = result is None

    def _problem(self, asked: Asked) -> str:
        keys, mode, months = asked
        if not keys:
            return TOO_FEW
        if mode != "one" and len(keys) > 1:
            return ONE_KEY
        if len(keys) > MAX_KEYS:
            return TOO_MANY
        if mode == "from" and not months:
            return NO_MONTHS
        return ""

    # -- fitting -------------------------------------------------------------------------

    def action_run(self) -> None:
        """Apply the fit made for this form, or fit it."""
        if self.answered:
            return
        asked = self.asked
        if self.can_apply:
            self.action_apply()
            return
        if self._job.asked == asked:
            return  # already fitting exactly this
        problem = self._problem(asked)
        if problem:
            self._set_status(f"{ERROR_MARK}{problem}", "-error")
            return
        self._show_result(None)
        self._set_status("")
        self._job.start(asked)

    def _cancel_fit(self) -> None:
        self._job.cancel()

    def _say_working(self, asked: Asked) -> None:
        how = {"one": "", "year": " per year", "from": " from " + ", ".join(asked[2])}[asked[1]]
        self._set_status(f"working… fitting {', '.join(asked[0])}{how}", "-working")

    def _fit_failed(self, asked: Asked, error: str) -> None:
        if self.answered or asked != self.asked:
            return  # the screen is closing, or the form changed since
        self._show_result(None)
        self._set_status(f"{ERROR_MARK}{error}", "-error")

    def _fitted(self, asked: Asked, result: FitResult) -> None:
        if self.answered or asked != self.asked:
            return  # the screen is closing, or the form changed since
        self._show_result(result)
        better = result.score < result.score_before
        verdict = "fits better" if better else "fits no better than the scenario"
        how = f" per period ({len(result.steps)} steps)" if result.steps else ""
        self._set_status(f"{FOUND_MARK}fitted {', '.join(result.keys)}{how}: {verdict}; enter or a applies", "-found")
        self.query_one("#results", VerticalScroll).scroll_home(animate=False)

    # -- events ------------------------------------------------------------------------

    def _form_changed(self) -> None:
        asked = self.asked
        if self._job.asked is not None and self._job.asked != asked:
            self._cancel_fit()
            self._set_status("")
        if self._result_for is not None and self._result_for != asked:
            self._show_result(None)
            self._set_status("")
        keys, mode, _ = asked
        if len(keys) > MAX_KEYS:
            self._set_status(f"{ERROR_MARK}{TOO_MANY}", "-error")
        elif mode != "one" and len(keys) > 1:
            self._set_status(f"{ERROR_MARK}{ONE_KEY}", "-error")
        elif "-error" in self.query_one("#status", Static).classes:
            self._set_status("")

    @on(SelectionList.SelectedChanged, "#parameters")
    def _selection_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self._form_changed()

    @on(Select.Changed, "#mode")
    def _mode_changed(self, event: Select.Changed) -> None:
        event.stop()
        months = self.query_one("#months", Input)
        months.disabled = self.mode != "from"
        if self.mode == "from":
            months.focus()
        self._form_changed()

    @on(Input.Changed, "#months")
    def _months_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._form_changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "fit":
            self.action_run()
        else:
            self.action_cancel()

    # -- answers -------------------------------------------------------------------------

    def fitted_values(self) -> dict[str, float] | None:
        """The fitted starting values Apply would give, or None when there is no current fit."""
        if not self.can_apply or self.result is None:
            return None
        values: Mapping[str, float] = self.result.values
        return {key: float(value) for key, value in values.items()}

    def action_apply(self) -> None:
        if self.answered:
            return
        if self.can_apply and self.result is not None:
            self._cancel_fit()
            self.answer(self.result)

    def action_cancel(self) -> None:
        if not self.answered:
            self._cancel_fit()
            self.answer(None)


def _fit_error(exc: Exception) -> str:
    """A fit that raised, in the status line: a scenario's own words, or what went wrong."""
    if isinstance(exc, ScenarioError):
        return "; ".join(exc.lines())
    return f"the fit failed: {exc}"
