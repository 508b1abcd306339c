"""Add a change: from a month on, a parameter moves to a new value, at once or phased in over months."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.input import Selection

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.numbers import format_number
from ammoflow.scenarios.model.scenario import MAX_OVER, Change, Scenario, change_problems
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import FieldErrors
from ammoflow.tui.keys import FieldInput
from ammoflow.tui.render.sparkline import sparkline

__all__ = ["AddChangeScreen"]

NOTE_MARK = "note: "


def _short(message: str, key: str) -> str:
    """A parse message without the parameter key the form already shows."""
    if message.startswith(f"{key}: "):
        return message[len(key) + 2 :]
    if message.startswith(f"{key} = "):
        return message[len(key) + 3 :].replace(" is outside its range ", " is outside ")
    if message.startswith(f"{key} "):
        return "the value" + message[len(key) :]
    return message


class AddChangeScreen(FieldErrors, Dialog[Change | None]):
    """A form for one :class:`Change`; dismisses with it once valid, or None on escape.

    The month must lie in the scenario's horizon and the value is parsed with
    :meth:`Parameter.parse` (``500``, ``1.1k``, ``35%``). Each problem is shown under its
    field (``error("month")``, ``"parameter"`` or ``"value"``) and nothing is returned until
    all are fixed. A change of the same parameter from the same month is not refused: use
    :meth:`Scenario.with_change` to replace it.
    """

    DEFAULT_CSS = """
    AddChangeScreen {
        & #intro { color: $foreground-muted; width: 76; max-width: 100%; }
        & .row { height: auto; width: 76; max-width: 100%; }
        & .row > Label { width: 12; padding: 1 1 0 0; }
        & #month { width: 14; }
        & #parameter { width: 1fr; }
        /* Its list opens over the rows below it, never past the dialog's border. */
        & #parameter > SelectOverlay { max-height: 7; }
        & #value { width: 22; }
        & #unit { width: 1fr; padding: 1 0 0 1; }
        & #over-label { width: 6; padding: 1 1 0 1; }
        & #over-unit { width: 7; padding: 1 0 0 1; }
        & .error { color: $error; text-style: bold; padding-left: 12; display: none; }
        & .error.-shown { display: block; }
        & #note { color: $foreground-muted; padding-left: 12; display: none; }
        & #note.-shown { display: block; }
        & #hint { color: $foreground-muted; padding-left: 12; }
        & #over { width: 8; }
        & #preview { padding-left: 12; width: 76; max-width: 100%; height: 1; text-wrap: nowrap; }
        /* Compact fields are one row: the words beside them need no row to come down to their text. */
        &.-compact {
            & .row > Label, & #unit, & #over-label, & #over-unit { padding-top: 0; }
            & #value { width: 16; }
            & #over { width: 6; }
            /* The unit is in the hint below as well: beside the value it may be cut, never wrapped. */
            & #unit { text-wrap: nowrap; text-overflow: ellipsis; }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="add_change.cancel"),
        Binding("enter", "add", "Add the change", id="add_change.add"),
    ]

    AUTO_FOCUS = "#month"

    def __init__(self, scenario: Scenario, parameter: str | None = None, *, month: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self._keys = [p.key for p in registry.changeable()]
        self._initial_note = ""
        if parameter is not None and parameter not in self._keys:
            if parameter in registry.BY_KEY:
                self._initial_note = f"{parameter} is a starting stock; pick another"
            else:
                self._initial_note = registry.unknown_key_message("parameter", parameter, registry.KEYS)
            parameter = None
        self.parameter = parameter or self._keys[0]
        if month is None:
            month = format_month(scenario.start_index + scenario.months // 2)
        self.month = month
        self._filled_for: str | None = None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Add a change"
        with dialog:
            yield Static(
                f"Projection {self.scenario.start} to {self.scenario.end}; a change holds from its month on.",
                id="intro",
                markup=False,
            )
            with Horizontal(classes="row"):
                yield Label("From month")
                yield FieldInput(self.month, id="month", placeholder="YYYY-MM")
            yield Static("", id="month-error", classes="error", markup=False)
            with Horizontal(classes="row"):
                yield Label("Parameter")
                yield Select(
                    [(registry.BY_KEY[key].label, key) for key in self._keys],
                    value=self.parameter,
                    allow_blank=False,
                    id="parameter",
                )
            yield Static("", id="parameter-error", classes="error", markup=False)
            yield Static("", id="note", markup=False)
            with Horizontal(classes="row"):
                yield Label("Value")
                yield FieldInput("", id="value", placeholder="e.g. 1100, 1.1k, 35%")
                yield Label("", id="unit", markup=False)
                yield Label("over", id="over-label")
                yield FieldInput("0", id="over", placeholder="0")
                yield Label("months", id="over-unit")
            yield Static("", id="hint", markup=False)
            yield Static("", id="value-error", classes="error", markup=False)
            yield Static("", id="over-error", classes="error", markup=False)
            yield Static("", id="preview", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="add", variant="primary")
            yield Static(
                f"{self.keys_of('add_change.add')} add · tab next field · {self.keys_of('add_change.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._fill_value(self.parameter)
        month = self.query_one("#month", Input)
        month.selection = Selection(0, len(month.value))

    # -- reading the form ----------------------------------------------------------

    @property
    def selected_parameter(self) -> str | None:
        value = self.query_one("#parameter", Select).value
        return value if isinstance(value, str) else None

    def _month_index(self, text: str) -> int:
        """The month typed, as an index; ValueError says what is wrong with it."""
        try:
            index = parse_month(text)
        except ValueError:
            raise ValueError("write the month as YYYY-MM, e.g. 2025-01") from None
        first, last = self.scenario.start_index, parse_month(self.scenario.end)
        if not first <= index <= last:
            raise ValueError(f"{text.strip()} is outside the projection, {self.scenario.start} to {self.scenario.end}")
        return index

    def _value_in_force(self, key: str) -> float:
        """The parameter's value in the month typed (its starting value if the month is unusable)."""
        try:
            offset = self._month_index(self.query_one("#month", Input).value) - self.scenario.start_index
        except ValueError:
            return self.scenario.values[key]
        return self.scenario.series(key)[offset]

    def _fill_value(self, key: str) -> None:
        if key == self._filled_for:
            return
        self._filled_for = key
        parameter = registry.BY_KEY[key]
        self.query_one("#value", Input).value = format_number(self._value_in_force(key))
        self.query_one("#unit", Label).update(parameter.unit)
        self.query_one("#hint", Static).update(
            f"{format_number(parameter.low)} to {format_number(parameter.high)} {parameter.unit};"
            " over 0 months is at once"
        )
        self.show_error("value", "")
        self._update_note()
        self._update_preview()

    def _read_over(self, key: str | None) -> int:
        """The months typed to phase the change in over; ValueError says what is wrong with them."""
        text = self.query_one("#over", Input).value.strip() or "0"
        try:
            over = int(text)
        except ValueError:
            raise ValueError(f"type a whole number of months from 0 to {MAX_OVER}, not {text!r}") from None
        if key is not None:  # the scenario's own checks: range, whole-number parameters (docs/model.md)
            change = Change(format_month(self.scenario.start_index), key, self.scenario.values[key], over)
            for path, message in change_problems(0, change, None):
                if path[-1] == "over":
                    raise ValueError(message)
        return over

    def _update_preview(self) -> None:
        """The parameter's planned path with this change, as a sparkline over the horizon."""
        preview = self.query_one("#preview", Static)
        key = self.selected_parameter
        try:
            if key is None:
                raise ValueError
            month = format_month(self._month_index(self.query_one("#month", Input).value))
            value = registry.BY_KEY[key].parse(self.query_one("#value", Input).value)
            scenario = self.scenario.with_change(Change(month, key, value, self._read_over(key)))
        except (ValueError, ScenarioError):
            preview.update("")
            return
        path = scenario.series(key)
        ends = f" {format_number(path[0])} → {format_number(path[-1])}"
        width = max(8, min(scenario.months, (preview.size.width or 64) - len(ends)))
        preview.update(f"{sparkline(path, width)}{ends}")

    def _update_note(self) -> None:
        """Say when the change would replace an existing one."""
        note = f"{NOTE_MARK}{self._initial_note}" if self._initial_note else ""
        key = self.selected_parameter
        try:
            month = format_month(self._month_index(self.query_one("#month", Input).value))
        except ValueError:
            month = None
        for change in self.scenario.changes:
            if (change.month, change.parameter) == (month, key):
                old = registry.BY_KEY[change.parameter].format(change.value)
                note = f"{NOTE_MARK}replaces the change from {month} ({old})"
        widget = self.query_one("#note", Static)
        widget.update(note)
        widget.set_class(bool(note), "-shown")

    # -- events ----------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self._filled_for:
            self.show_error("parameter", "")
            self._initial_note = ""
            self._fill_value(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "month":
            self.show_error("month", "")
            self._update_note()
        elif event.input.id in ("value", "over"):
            self.show_error(event.input.id, "")
        self._update_preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.action_add()
        else:
            self.action_cancel()

    # -- actions -----------------------------------------------------------------------

    def validate(self) -> Change | None:
        """The change the form describes, or None after showing what is wrong."""
        month: str | None = None
        try:
            month = format_month(self._month_index(self.query_one("#month", Input).value))
            self.show_error("month", "")
        except ValueError as exc:
            self.show_error("month", str(exc))

        key = self.selected_parameter
        if key is None or key not in self._keys:
            self.show_error("parameter", "pick a parameter")
            key = None
        else:
            self.show_error("parameter", "")

        value: float | None = None
        if key is not None:
            text = self.query_one("#value", Input).value
            try:
                if not text.strip():
                    raise ValueError(f"type a value in {registry.BY_KEY[key].unit}")
                value = registry.BY_KEY[key].parse(text)
                self.show_error("value", "")
            except ValueError as exc:
                self.show_error("value", _short(str(exc), key))

        over: int | None = None
        try:
            over = self._read_over(key)
            self.show_error("over", "")
        except ValueError as exc:
            self.show_error("over", str(exc))

        if month is None or key is None or value is None or over is None:
            return None
        return Change(month=month, parameter=key, value=value, over=over)

    def action_add(self) -> None:
        if self.answered:
            return
        change = self.validate()
        if change is not None:
            self.answer(change)

    def action_cancel(self) -> None:
        self.answer(None)
