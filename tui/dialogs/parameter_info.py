"""One parameter in full: what it means, its range and unit, and where its value comes from.

The help area under the sliders has a few lines; at 80x24 a long source does not fit there,
and this dialog (``i`` on a parameter) is where all of it can be read.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ammoflow.scenarios.model.numbers import format_number
from ammoflow.scenarios.model.registry import Parameter
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["ParameterInfoScreen", "parameter_text"]


def parameter_text(parameter: Parameter, value: float) -> str:
    """Everything the registry says of ``parameter``, with its value now, as plain text."""
    return (
        f"{parameter.description}\n\n"
        f"Now: {parameter.format(value)}. Range {format_number(parameter.low)} to {parameter.format(parameter.high)}, "
        f"default {parameter.format(parameter.default)} (key {parameter.key}).\n\n"
        f"Source: {parameter.source}"
    )


class ParameterInfoScreen(Dialog[None]):
    """A parameter's description and source in full; escape, q, i or enter closes it."""

    DEFAULT_CSS = """
    ParameterInfoScreen {
        & > #dialog { width: 72; max-width: 95%; }
        & #body { height: auto; max-height: 70vh; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i,enter", "close", "Close", id="parameter_info.close"),
    ]

    AUTO_FOCUS = "#body"

    def __init__(self, parameter: Parameter, value: float) -> None:
        super().__init__()
        self.parameter = parameter
        self.value = value

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = self.parameter.label
        with dialog:
            with VerticalScroll(id="body"):
                yield Static(parameter_text(self.parameter, self.value), id="text", markup=False)
            yield Static(f"↑↓ scroll · {self.keys_of('parameter_info.close')} close", id="keys", markup=False)

    def action_close(self) -> None:
        self.answer(None)
