"""Changes over time: a scenario's changes listed, added and removed, and each parameter's schedule."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.numbers import format_count, format_number
from ammoflow.scenarios.model.scenario import Change, Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.keys import hold_keys_for
from ammoflow.tui.render.cells import ELLIPSIS, elide
from ammoflow.tui.render.sparkline import sparkline

COLUMNS = ("from", "parameter", "value", "over")
MIN_LABEL = 8  # narrower than this, a parameter's name is no longer recognisable: the table scrolls instead


def _over(change: Change) -> str:
    return f" over {format_count(change.over, 'month')}" if change.over else ""


def _cells(change: Change) -> tuple[str, str, str, str]:
    """A change as the table shows it; the month as the file wrote it, a control character written out."""
    parameter = registry.BY_KEY[change.parameter]
    over = format_count(change.over, "month") if change.over else "at once"
    return visible(change.month), parameter.label, parameter.format(change.value), over


def then_note(scenario: Scenario, key: str) -> str:
    """What a parameter's slider does not show: the values its changes over time move it to, and from when.

    ``then 150,000 from 2025-01``; a phase-in says over how long; several changes are listed in order.
    """
    parts = [
        f"{format_number(c.value)} from {visible(c.month)}"
        + (f" over {format_count(c.over, 'month')}" if c.over else "")
        for c in scenario.changes
        if c.parameter == key
    ]
    return f"then {', '.join(parts)}" if parts else ""


class ChangesTable(DataTable[str]):
    """One row a change: from which month, which parameter, what value, phased in over how long."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add change", id="changes.add", tooltip="Add a change over time"),
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
        self._built_for = 0  # the width the columns were fitted to

    def show(self, scenario: Scenario) -> None:
        if scenario.changes == self._shown:
            return
        self._shown = scenario.changes
        self._rebuild()

    def on_resize(self) -> None:
        if self._built_for != self.size.width:
            self._rebuild()

    def _rebuild(self) -> None:
        row = self.cursor_row
        self._built_for = self.size.width
        rows = [_cells(change) for change in self._shown]
        widths = [max(cell_len(cells[i]) for cells in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
        # The parameter's name gives way (cut in the middle) so that the value fits beside it.
        room = self.size.width - 2 * self.cell_padding * len(COLUMNS) - sum(widths) + widths[1]
        if self.size.width and widths[1] > room:
            widths[1] = max(MIN_LABEL, room)
            rows = [(month, elide(label, widths[1]), value, over) for month, label, value, over in rows]
        # Each column's width is set before any row is drawn: DataTable widens auto-width
        # columns only when idle, and a table shown while a dialog was on top was drawn at
        # its header widths ("2025  Russia-or  150,0").
        self.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            self.add_column(label, width=width)
        for cells in rows:
            self.add_row(*cells)
        if self._shown:
            self.move_cursor(row=min(row, len(self._shown) - 1))

    def action_add(self) -> None:
        hold_keys_for(self)  # until the explorer's add-change dialog is up
        self.post_message(self.AddRequested())

    def action_remove(self) -> None:
        if self._shown and 0 <= self.cursor_row < len(self._shown):
            self.post_message(self.RemoveRequested(self.cursor_row))
        else:
            self.app.bell()


def schedule_lines(scenario: Scenario, width: int) -> list[str]:
    """Each changing parameter's planned path over the horizon: its name, first and last value, then a sparkline.

    The sparklines share one time scale, the horizon's months written under them, so a step
    or a phase-in can be placed in time and the parameters compared month by month.
    """
    keys = [key for key in registry.KEYS if any(c.parameter == key for c in scenario.changes)]
    if not keys:
        return []
    columns = max(1, min(width, scenario.months))
    lines = []
    for key in keys:
        parameter = registry.BY_KEY[key]
        path = scenario.series(key)
        lines.append(f"{parameter.label}: {format_number(path[0])} → {parameter.format(path[-1])}")
        lines.append(sparkline(path, columns))
    first, last = scenario.start, scenario.end
    gap = columns - len(first) - len(last)
    lines.append(first + " " * gap + last if gap >= 1 else first)
    return [line if cell_len(line) <= width else line[: max(0, width - 1)] + ELLIPSIS for line in lines]


class ScheduleView(Widget):
    """The planned path of every parameter that changes over time, one sparkline each."""

    DEFAULT_CSS = """
    ScheduleView { height: auto; max-height: 50%; dock: bottom; padding: 0 1; border-top: hkey $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scenario: Scenario | None = None

    def show(self, scenario: Scenario) -> None:
        # Only a parameter with changes has a schedule drawn: a step on any other slider leaves
        # every line as it was, and must not cost the screen a layout.
        if self._scenario is not None and _drawn(scenario) == _drawn(self._scenario):
            return
        self._scenario = scenario
        self.refresh(layout=True)

    def lines(self) -> list[str]:
        width = self.size.width or 78  # before the first layout: any width, the next draw has the real one
        return [] if self._scenario is None else schedule_lines(self._scenario, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(schedule_lines(self._scenario, max(1, width))) if self._scenario is not None else 0

    def render(self) -> Content:
        return Content("\n".join(self.lines()))


def _drawn(scenario: Scenario) -> tuple[object, ...]:
    """What the schedules depend on: the changes, the horizon and the starting values they change."""
    changing = sorted({change.parameter for change in scenario.changes})
    return scenario.changes, scenario.start, scenario.months, tuple(scenario.values[key] for key in changing)
