"""Changes over time: the step changes of a scenario, listed, added and removed."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import Change, Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.keys import hold_keys_for


class ChangesTable(DataTable[str]):
    """One row a change: from which month, which parameter, what value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add change", id="changes.add", tooltip="Add a step change"),
        Binding("delete,x", "remove", "Remove change", id="changes.remove", tooltip="Remove the selected change"),
    ]

    class AddRequested(Message):
        """The user asked to add a change."""

    class RemoveRequested(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: tuple[Change, ...] = ()

    def on_mount(self) -> None:
        self.add_columns("from", "parameter", "value")

    def show(self, scenario: Scenario) -> None:
        if scenario.changes == self._shown:
            return
        self._shown = scenario.changes
        row = self.cursor_row
        self.clear()
        for change in scenario.changes:
            parameter = registry.BY_KEY[change.parameter]
            # The month is as the file wrote it: a control character in it is shown written out.
            self.add_row(visible(change.month), parameter.label, parameter.format(change.value))
        if scenario.changes:
            self.move_cursor(row=min(row, len(scenario.changes) - 1))

    def action_add(self) -> None:
        hold_keys_for(self)  # until the explorer's add-change dialog is up
        self.post_message(self.AddRequested())

    def action_remove(self) -> None:
        if self._shown and 0 <= self.cursor_row < len(self._shown):
            self.post_message(self.RemoveRequested(self.cursor_row))
        else:
            self.app.bell()
