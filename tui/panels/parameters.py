"""The parameter panel: one slider row per registry parameter, grouped.

Each :class:`ParameterRow` shows a parameter's label, a slider and its value
with the unit. At 60 columns and wider a row is one line high (label in a
fixed column, slider filling the middle, value right-aligned); narrower, the
slider moves to a second line so the label and value keep their room.

Enter on a row opens an inline input to type an exact value (``1,500``,
``1.5k``, ``2M``, ``35%``); Enter applies it, Escape cancels, and a value that
is not allowed is explained under the row and changes nothing. Typed values
are kept exactly, even between slider steps; the arrow keys then step onto
the grid again.

:class:`ParametersPanel` lists every parameter of the registry in group order
with a help area at the bottom describing the focused one. It calls its ``edited``
callback when the user changes a value, in the same turn as the key (or click) that
changed it, so whatever the next key does sees the new value; it never computes
anything itself, and :meth:`ParametersPanel.show_values` updates it from code
without calling back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import EllipsisType
from typing import Any, ClassVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ammoflow.scenarios.model.numbers import format_compact, format_number, format_typed, parse_value
from ammoflow.scenarios.model.registry import (
    GROUPS,
    PARAMETERS,
    Parameter,
    unknown_key_message,
)
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.keys import FieldInput, focus_now, pass_on
from ammoflow.tui.widgets.slider import FloatSlider

__all__ = [
    "LABEL_WIDTH",
    "NARROW_BELOW",
    "VALUE_WIDTH",
    "ParameterRow",
    "ParametersPanel",
    "parse_value",
]

LABEL_WIDTH = 26
"""Columns of the label on a one-line row (longer labels end in an ellipsis)."""

VALUE_WIDTH = 1 + max(len(p.format(v)) for p in PARAMETERS for v in (p.low, p.high, p.default))
"""Columns of the value: the widest formatted value plus the changed mark."""

NARROW_BELOW = 60
"""Rows narrower than this put the slider on a second line."""

HELP_MAX_LINES = 6
"""Most lines the help area takes; it is sized for the longest help at its width."""

CHANGED_MARK = "*"
"""Drawn before the value when it differs from the saved one."""


def number_fitting(value: float, room: int) -> str:
    """``value`` as fully as fits in ``room`` columns: all its digits, fewer decimals, or 1.08k.

    The value beside a slider is cut only here, in its digits, never in its unit. Values
    typed between slider points keep every digit in the scenario; only the text is shorter.
    """
    candidates = [format_number(value), *(format_typed(value, 10.0**-digits) for digits in (2, 1, 0))]
    return next((text for text in candidates if len(text) <= room), format_compact(value))


class _ExactSlider(FloatSlider):
    """A slider that keeps values set from code exactly (clamped, not snapped).

    Keys and the mouse still land on the step grid; a typed value between two
    grid points stays as typed until the user moves the slider again.
    """

    def __init__(
        self,
        value: float,
        *,
        low: float,
        high: float,
        step: float,
        coarse_step: float,
        saved: float | None = None,
    ) -> None:
        super().__init__(value, low=low, high=high, step=step, coarse_step=coarse_step, saved=saved)
        self.set_reactive(FloatSlider.value, self.validate_value(value))

    def validate_value(self, value: float) -> float:
        """Clamp to the range without snapping to the grid."""
        return min(max(float(value), self.low), self.high) + 0.0


LEAVING_KEYS = ("up", "down", "tab", "shift+tab")
"""Keys that leave the input for another row: they take the typed value first."""


class _ValueInput(FieldInput):
    """The input a row opens to type a value.

    Enter, Escape, Up, Down, Tab and shift+Tab are handled here, whatever the key map says of
    them (a user's key map must not leave a typed value with no way to submit or drop it).
    Escape drops the typing. The others take the typed value first, as Enter does: a value
    that is allowed is set and the key is then given back to the app
    (:func:`ammoflow.tui.keys.pass_on`), to move on from the slider that has focus again; one
    that is not allowed stays in the input with its message, and the key does nothing else.
    Nothing typed is ever dropped without a word.
    """

    def __init__(self, submit: Callable[[str], bool], cancel: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._submit = submit
        self._cancel = cancel

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "escape", *LEAVING_KEYS):
            event.stop()
            event.prevent_default()
            if event.key == "escape":
                self._cancel()
            elif self._submit(self.read_for_submit()) and event.key != "enter":
                pass_on(self.app, event)  # now routed from the slider, to another row
            return
        await super()._on_key(event)


class ParameterRow(Widget):
    """One parameter: its label, a slider and the value with its unit.

    Calls ``edited(key, value)`` when the user changes the value with the
    slider or by typing one, at once (the slider's value is watched, not its
    message, which would arrive after keys typed behind the step). Focus sits on the slider (or the input while
    typing), so [focus][ParameterRow.focus] on the row moves it there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "edit_value",
            "Type value",
            id="parameters.edit_value",
            tooltip="Type an exact value (1,500, 1.5k, 2M, 35%)",
        ),
        Binding(
            "escape",
            "cancel_edit",
            "Cancel",
            id="parameters.cancel_edit",
            tooltip="Close the input without changing the value",
        ),
    ]
    """
    | Key(s) | Binding id | Description |
    | :- | :- | :- |
    | enter | `parameters.edit_value` | Open the input to type an exact value. |
    | escape | `parameters.cancel_edit` | Close the input, changing nothing (only while typing). |
    """

    DEFAULT_CSS = f"""
    ParameterRow {{
        height: auto;
        & > .row--line {{
            height: 1;
            layout: horizontal;
        }}
        & .row--label {{
            width: {LABEL_WIDTH};
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }}
        & .row--value {{
            dock: right;
            width: {VALUE_WIDTH};
            text-align: right;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }}
        & FloatSlider, & Input {{
            width: 1fr;
            margin: 0 1;
        }}
        & > .row--error {{
            display: none;
            color: $text-error;
            padding-left: 1;
        }}
        &.-error > .row--error {{
            display: block;
        }}
        & > .row--then {{
            display: none;
            color: $text-warning;
            padding-left: 2;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }}
        &.-then > .row--then {{
            display: block;
        }}
        &:focus-within {{
            background: $boost;
            & .row--label {{
                text-style: bold;
            }}
        }}
        &.-narrow > .row--line {{
            height: 2;
            layout: grid;
            grid-size: 2;
            grid-columns: 1fr {VALUE_WIDTH + 1};
            grid-rows: 1;
            & .row--label {{
                width: 1fr;
            }}
            & .row--value {{
                dock: none;
                width: 1fr;
                padding-left: 1;  /* never "Shipment rate*1,000": a label that fills its column */
            }}
            & FloatSlider, & Input {{
                column-span: 2;
                margin: 0;
            }}
        }}
    }}
    """

    def __init__(
        self,
        parameter: Parameter,
        value: float | None = None,
        *,
        saved: float | None = None,
        edited: Callable[[str, float], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a row.

        Args:
            parameter: The parameter shown.
            value: Initial value; the parameter's default when None.
            saved: The value saved in the file, marked on the slider, or None.
            edited: Called with the key and the new value when the user changes it.
            name: Name of the widget.
            id: ID of the widget in the DOM.
            classes: Space-separated CSS classes.
            disabled: Whether the row is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._parameter = parameter
        self._edited = edited
        self._from_code = False  # a value set by set_value: not the user's edit
        start = float(parameter.default if value is None else value)
        self._slider = _ExactSlider(
            start,
            low=parameter.low,
            high=parameter.high,
            step=parameter.step,
            coarse_step=parameter.coarse_step,
            saved=saved,
        )
        self._value_text = Static(classes="row--value")
        # The input, the message under it and the note of changes over time are made when first
        # needed: most rows never show them, and three widgets fewer a row is a tenth of the start.
        self._input: _ValueInput | None = None
        self._notes: tuple[Static, Static] | None = None  # the message, then the note
        self._then_note = ""
        self._shown: tuple[float, float | None] | None = None
        self._editing = False
        self._prefilled = ""  # what the input opened with
        self.tooltip = (
            f"{parameter.label}\n{parameter.key}: {format_number(parameter.low)} to {parameter.format(parameter.high)}"
        )
        self._show_value()

    def compose(self) -> ComposeResult:
        with Widget(classes="row--line"):
            yield Label(self._parameter.label, classes="row--label")
            yield self._value_text
            yield self._slider

    @property
    def parameter(self) -> Parameter:
        """The parameter shown."""
        return self._parameter

    @property
    def value(self) -> float:
        """The current value."""
        return self._slider.value

    @property
    def saved(self) -> float | None:
        """The value saved in the file, or None."""
        return self._slider.saved

    @property
    def slider(self) -> FloatSlider:
        """The row's slider."""
        return self._slider

    @property
    def editing(self) -> bool:
        """Whether the input for a typed value is open."""
        return self._editing

    def set_value(self, value: float, *, saved: float | EllipsisType | None = ...) -> None:
        """Set the value (and optionally the saved value) from code, posting nothing.

        Args:
            value: The new value (clamped to the parameter's range).
            saved: The new saved value, None for none, or ``...`` to keep it.
        """
        slider = self._slider
        if value == slider.value and (saved is ... or saved == slider.saved):
            return  # every edit shows every row's value: most have not moved
        self._from_code = True
        try:
            self._slider.value = value
        finally:
            self._from_code = False
        if saved is not ...:
            self._slider.saved = saved
        self._show_value()

    def set_then(self, note: str) -> None:
        """Say under the slider where changes over time take the value, and from when ("" for none)."""
        if note != self._then_note:
            self._then_note = note
            self._note_lines()[1].update(f"↳ {note}" if note else "")
        self.set_class(bool(note), "-then")

    def _note_lines(self) -> tuple[Static, Static]:
        """The lines under the row (the message about a typed value, the note of changes over
        time), mounted the first time either has something to say."""
        if self._notes is None:
            error = Static(classes="row--error", markup=False)  # it quotes what was typed
            then = Static(classes="row--then", markup=False)  # where changes over time take the value
            self._notes = (error, then)
            self.mount(error, then)
        return self._notes

    def _editor(self) -> _ValueInput:
        """The input to type a value in, mounted beside the slider the first time it opens."""
        if self._input is None:
            parameter = self._parameter
            self._input = _ValueInput(
                self._submit,
                self.action_cancel_edit,
                compact=True,
                placeholder=(f"{format_number(parameter.low)} to {parameter.format(parameter.high)}"),
            )
            self._input.display = False
            self.query_one(".row--line").mount(self._input)
        return self._input

    @property
    def focus_target(self) -> Widget:
        """What has the row's focus: the input while typing a value, otherwise the slider."""
        return self._input if self._editing and self._input is not None else self._slider

    def focus(self, scroll_visible: bool = True) -> ParameterRow:
        """Focus the input while typing a value, otherwise the slider."""
        self.focus_target.focus(scroll_visible=scroll_visible)
        return self

    def focus_now(self) -> None:
        """:meth:`focus`, before the next key already queued is routed."""
        focus_now(self.focus_target)

    def _show_value(self) -> None:
        """Redraw the value text, only when it changed."""
        value, saved = self._slider.value, self._slider.saved
        if self._shown == (value, saved):
            return
        self._shown = (value, saved)
        changed = saved is not None and value != saved
        room = VALUE_WIDTH - len(CHANGED_MARK) - 1 - len(self._parameter.unit)
        number = number_fitting(value, room)
        unit = self._parameter.unit_for(value)
        self._value_text.update(
            Content.assemble(
                (CHANGED_MARK, "$text-warning") if changed else "",
                (number, "bold"),
                " ",
                (unit, "$text-muted"),
            ),
            layout=False,
        )

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")

    def on_mount(self) -> None:
        # Redraw the value text in the same frame as the slider, not one message later:
        # a repaint that trails into the next frame widens that frame's repaint region.
        self.watch(self._slider, "value", self._value_moved, init=False)

    def _value_moved(self, value: float) -> None:
        self._show_value()
        if not self._from_code and self._edited is not None:
            self._edited(self._parameter.key, value)

    def on_float_slider_changed(self, event: FloatSlider.Changed) -> None:
        event.stop()  # already taken in, as the value moved

    # Typing a value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_edit":
            return self._editing
        if action == "edit_value":
            return not self._editing and not self.disabled
        return True

    def action_edit_value(self) -> None:
        """Open the input, prefilled with the current value."""
        if self._editing or self.disabled:
            return
        self._editing = True
        self._prefilled = format_number(self.value)
        editor = self._editor()
        editor.value = self._prefilled
        self._slider.display = False
        editor.display = True
        focus_now(editor)
        self.refresh_bindings()

    def action_cancel_edit(self) -> None:
        """Close the input without changing the value."""
        self._close_editor(refocus=True)

    def _close_editor(self, *, refocus: bool) -> None:
        if not self._editing:
            return
        self._editing = False
        self._set_error(None)
        self._editor().display = False
        self._slider.display = True
        if refocus:
            focus_now(self._slider)
        self.refresh_bindings()

    def _set_error(self, message: str | None) -> None:
        if message is None and self._notes is None:
            return  # never said anything
        self._note_lines()[0].update(visible(message or ""))
        self.set_class(message is not None, "-error")
        if message is not None:
            # The row grows by the message: keep all of it in view.
            self.call_after_refresh(self.scroll_visible, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, text: str) -> bool:
        """Set the value typed, or say below the input why it cannot be; whether the input closed.

        Text left as it was prefilled changes nothing (the shown value may be rounded).
        """
        if not self._editing:
            return True
        if text.strip() == self._prefilled:
            self._close_editor(refocus=True)
            return True
        try:
            value = parse_value(text, self._parameter)
        except ValueError as error:
            self._set_error(str(error))
            return False
        self._slider.value = value  # the user's value: reported as it lands
        self._close_editor(refocus=True)
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.has_class("-error") and self._editor().is_news(event):
            self._set_error(None)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        # Focus taken elsewhere (a click on another row) takes the typed value, as Tab does;
        # one not allowed stays in the input with its message. The terminal losing focus
        # (switching windows to copy a number) and the screen hiding the row (a terminal too
        # small) leave the typing as it is.
        editor = self._editor()
        if editor.has_focus or not self.app.app_focus or self.screen.focused is None:
            return
        if self._submit(editor.value):
            return
        self.screen.set_focus(editor)  # with its message: back where it can be fixed


REPORTED_ONLY = ("nk_capacity_other", "nk_utilisation_other")
"""North Korea's output for other buyers: reported in the projection, moving nothing the
charts or figures show (docs/model.md, prod_o). Listed last, under a title that says so,
rather than leading the panel as sliders that seem to do nothing."""

REPORTED_ONLY_TITLE = "Other exports (reported only)"


def _display_groups() -> list[tuple[str, list[Parameter]]]:
    """The registry's groups in order, the reported-only parameters taken out into a last one."""
    groups = [
        (title, [p for p in PARAMETERS if p.group == group and p.key not in REPORTED_ONLY]) for group, title in GROUPS
    ]
    groups.append((REPORTED_ONLY_TITLE, [p for p in PARAMETERS if p.key in REPORTED_ONLY]))
    return [(title, parameters) for title, parameters in groups if parameters]


def _help_content(parameter: Parameter) -> Content:
    """What the help area says about a parameter."""
    return Content.assemble(
        (parameter.label, "bold"),
        f": {parameter.description}\n",
        ("Source: ", "$text-muted"),
        parameter.source,
    )


class _ParameterList(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The scrolling list of rows; arrow keys belong to the rows, not to scrolling."""


class ParametersPanel(Widget):
    """Every registry parameter as a row, in group order, with a help area.

    Up and down (and tab) move between rows; the focused row's description
    and source show in the help area at the bottom. Calls ``edited(key, value)``
    when the user changes a value, in the same turn.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "up",
            "previous_parameter",
            "Previous",
            show=False,
            id="parameters.previous",
            tooltip="Move to the previous parameter",
        ),
        Binding(
            "down",
            "next_parameter",
            "Next",
            show=False,
            id="parameters.next",
            tooltip="Move to the next parameter",
        ),
        Binding(
            "i",
            "about_parameter",
            "About this parameter",
            show=False,
            id="parameters.about",
            tooltip="The focused parameter's description and source, in full",
        ),
    ]
    """
    | Key(s) | Binding id | Description |
    | :- | :- | :- |
    | up | `parameters.previous` | Focus the previous parameter. |
    | down | `parameters.next` | Focus the next parameter. |
    | i | `parameters.about` | The focused parameter's description and source, in full. |
    """

    DEFAULT_CSS = """
    ParametersPanel {
        height: 1fr;
        & > .parameters--list {
            height: 1fr;
            scrollbar-size-vertical: 1;
        }
        & .parameters--group {
            text-style: bold;
            color: $text-primary;
        }
        & > .parameters--help {
            height: 4;
            padding: 0 1;
            background: $boost;
        }
    }
    """

    def __init__(
        self,
        values: Mapping[str, float] | None = None,
        saved: Mapping[str, float | None] | None = None,
        *,
        edited: Callable[[str, float], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create the panel.

        Args:
            values: Initial values by key; defaults for keys not given.
            saved: Saved values by key, marked on the sliders.
            edited: Called with the key and the new value when the user changes a value.
            name: Name of the widget.
            id: ID of the widget in the DOM.
            classes: Space-separated CSS classes.
            disabled: Whether the panel is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        values = values or {}
        saved = saved or {}
        self._rows: dict[str, ParameterRow] = {}
        self._titles: dict[str, Static] = {}
        for title, parameters in _display_groups():
            first = True
            for parameter in parameters:
                key = parameter.key
                if first:
                    self._titles[key] = Static(title, classes="parameters--group")
                    first = False
                self._rows[key] = ParameterRow(
                    parameter,
                    values.get(key),
                    saved=saved.get(key),
                    edited=edited,
                    id=f"parameter-{key}",
                )
        self._help = Static(classes="parameters--help")
        self._help_key: str | None = None
        self._help_width = 0  # the help area's width when last filled: a cut depends on it

    def compose(self) -> ComposeResult:
        with _ParameterList(classes="parameters--list"):
            for key, row in self._rows.items():
                if key in self._titles:
                    yield self._titles[key]
                yield row
        yield self._help

    def on_mount(self) -> None:
        self._show_help(next(iter(self._rows.values())))

    def on_resize(self, event: events.Resize) -> None:
        # One height for every parameter's help, so moving between rows never
        # resizes the list (no reflow, no row slipping out of view).
        help_area = self._help
        width = max(1, event.size.width - help_area.styles.gutter.width)
        rules = cast(RulesMap, help_area.styles)  # Content.get_height documents a widget's styles as its rules
        needed = max(_help_content(row.parameter).get_height(rules, width) for row in self._rows.values())
        help_area.styles.height = min(max(needed, 2), HELP_MAX_LINES)
        # Refilled at the new width once laid out, for the row focused then (not now: a focus
        # move in between must not be overwritten by the row that had it before).
        self.call_after_refresh(self._refill_help)

    def _refill_help(self) -> None:
        self._show_help(self._focused_row() or next(iter(self._rows.values())))

    @property
    def rows(self) -> Mapping[str, ParameterRow]:
        """The rows by parameter key, in display order."""
        return self._rows

    @property
    def values(self) -> dict[str, float]:
        """Every parameter's current value by key."""
        return {key: row.value for key, row in self._rows.items()}

    def row(self, key: str) -> ParameterRow:
        """The row of the parameter called ``key``.

        Raises:
            KeyError: If there is no such parameter (naming the nearest key).
        """
        try:
            return self._rows[key]
        except KeyError:
            raise KeyError(unknown_key_message("parameter", key, list(self._rows))) from None

    def show_values(
        self,
        values: Mapping[str, float],
        saved: Mapping[str, float | None] | None = None,
    ) -> None:
        """Show new values (and saved values) without posting messages.

        Only rows whose value or saved value changed redraw. Keys not in the
        registry are ignored; rows missing from ``values`` keep their value.

        Args:
            values: Values by parameter key.
            saved: Saved values by key; None keeps the saved values as they are.
        """
        for key, row in self._rows.items():
            has_saved = saved is not None and key in saved
            if key in values or has_saved:
                row.set_value(
                    values.get(key, row.value),
                    saved=saved[key] if saved is not None and has_saved else ...,
                )

    def show_notes(self, notes: Mapping[str, str]) -> None:
        """Under each slider, where the scenario's changes over time take its value ("" for none)."""
        for key, row in self._rows.items():
            row.set_then(notes.get(key, ""))

    def focus_parameter(self, key: str) -> ParameterRow:
        """Focus the row of the parameter called ``key`` and scroll it into view.

        Raises:
            KeyError: If there is no such parameter (naming the nearest key).
        """
        row = self.row(key)
        row.focus_now()
        # After the next refresh, so a layout still settling (at start-up) is taken into account.
        self.call_after_refresh(self._reveal, row)
        return row

    def edit_parameter(self, key: str) -> ParameterRow:
        """Focus the row of the parameter called ``key`` and open its input to type a value.

        Raises:
            KeyError: If there is no such parameter (naming the nearest key).
        """
        row = self.focus_parameter(key)
        row.action_edit_value()
        return row

    @property
    def focused_key(self) -> str | None:
        """Key of the parameter whose row has focus, or None when focus is elsewhere."""
        row = self._focused_row()
        return None if row is None else row.parameter.key

    # Focus and help

    def _focused_row(self) -> ParameterRow | None:
        if not self.is_attached:
            return None
        node = self.screen.focused
        while node is not None and node is not self:
            if isinstance(node, ParameterRow):
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    def _neighbour(self, offset: int) -> ParameterRow | None:
        row = self._focused_row()
        if row is None:
            return None
        keys = list(self._rows)
        index = keys.index(row.parameter.key) + offset
        return self._rows[keys[index]] if 0 <= index < len(keys) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("previous_parameter", "next_parameter"):
            # While a value is being typed, up and down wait their turn behind the characters:
            # the input takes them, closes itself and passes them on.
            row = self._focused_row()
            if row is None or row.editing:
                return False
            return self._neighbour(-1 if action == "previous_parameter" else 1) is not None
        return True

    def action_previous_parameter(self) -> None:
        """Focus the previous parameter."""
        self._move(-1)

    def action_next_parameter(self) -> None:
        """Focus the next parameter."""
        self._move(1)

    def _move(self, offset: int) -> None:
        row = self._neighbour(offset)
        if row is not None:
            # At once, not through Widget.focus: that waits behind every key already queued,
            # so keys arriving together (a slow link, a held key) would all move from the same row.
            row.focus_now()
            self._reveal(row)

    def _reveal(self, row: ParameterRow) -> None:
        """Scroll the row (and its group title, if it leads one) into view, at once.

        A list that moves is repainted whole. Textual can lose the move: the focused row, restyled,
        is painted before the list is laid out again, and finding its place then measures every
        row where it now is, so the layout that follows sees no row moved and writes none of
        them (the terminal kept the rows from before the move, with the focused one over them).
        """
        title = self._titles.get(row.parameter.key)
        region = row.virtual_region_with_margin
        if title is not None:
            region = region.union(title.virtual_region_with_margin)
        scroller = self.query_one(_ParameterList)
        if scroller.scroll_to_region(region, animate=False, immediate=True):
            scroller.refresh()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        row = self._focused_row()
        if row is not None:
            self._show_help(row)

    class AboutRequested(Message):
        """The focused parameter is to be shown in full (the screen opens the dialog)."""

        def __init__(self, parameter: Parameter, value: float) -> None:
            super().__init__()
            self.parameter = parameter
            self.value = value

    def action_about_parameter(self) -> None:
        """Ask for the focused parameter in full, in a dialog (the help area may cut a long source)."""
        row = self._focused_row()
        if row is not None:
            self.post_message(self.AboutRequested(row.parameter, row.value))

    def _show_help(self, row: ParameterRow) -> None:
        parameter = row.parameter
        if self._help_key == parameter.key and self._help_width == self._help.size.width:
            return
        self._help_key, self._help_width = parameter.key, self._help.size.width
        content = _help_content(parameter)
        width = max(1, self._help.size.width - self._help.styles.gutter.width)
        if content.get_height(cast(RulesMap, self._help.styles), width) > HELP_MAX_LINES:
            # Cut at the bottom: say first where the rest is.
            content = Content.assemble(("i", "bold"), (" reads all · ", "$text-muted"), content)
        self._help.update(content, layout=False)
