"""The projection month by month: every output column (docs/model.md, "Output columns") as a table.

The charts show shapes; this shows the numbers, whole and grouped. The columns the charts
draw come first, so an 80-column screen shows what the charts do and the rest is a scroll
to the right away; the month stays put on the left. The row of the charts' cursor month is
highlighted, and moving the highlight with the keys moves the cursor.
"""

from __future__ import annotations

import math

import polars as pl
from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from ammoflow.scenarios.model.columns import CHARTED, NUMBER_COLUMNS, OUTPUT
from ammoflow.scenarios.model.numbers import format_whole

__all__ = ["HEADINGS", "ORDER", "MonthTable", "cell_text", "table_text"]

# A short heading for each column (its unit goes on the line below): Σ marks a total since
# the start, "stock" a level at month end; every other column is a flow within the month.
HEADINGS: dict[str, str] = {
    "cumulative_containers": "Σ shipped",
    "cumulative_rounds": "Σ shipped",
    "nk_stock": "NK stock",
    "ru_stock": "RU stock",
    "ru_demand": "RU demand",
    "ru_fired": "RU fired",
    "ru_shortfall": "shortfall",
    "nk_production_russia": "NK output",
    "rounds_shipped": "shipped",
    "ru_arrivals": "arrived",
    "days": "days",
    "nk_production_other": "NK other",
    "containers_shipped": "shipped",
    "shells_152_shipped": "152 mm",
    "rockets_122_shipped": "122 mm",
    "ru_supply": "RU supply",
    "return_containers": "returned",
    "food_tonnes": "food",
}
ORDER: tuple[str, ...] = CHARTED + tuple(name for name in NUMBER_COLUMNS if name not in CHARTED)
"""The charted columns first, then the others in the contract's order."""
_UNITS = {column.name: column.unit for column in OUTPUT}


def cell_text(value: object) -> str:
    """A cell as the table shows it: the whole number, grouped; a dash where there is none."""
    number = value if isinstance(value, (int, float)) else math.nan
    return "–" if math.isnan(number) else format_whole(number)


def _cell(value: object) -> Text:
    return Text(cell_text(value), justify="right")


def _columns(frame: pl.DataFrame) -> list[list[object]]:
    """The values of each column in ORDER, a column the frame lacks as missing values."""
    return [frame[name].to_list() if name in frame.columns else [math.nan] * frame.height for name in ORDER]


def table_text(frame: pl.DataFrame, cursor: int | None) -> str:
    """The table as text, every column (not only those in view), the cursor's month marked ▸.

    Each column under its heading and unit, numbers right-aligned, as the screen shows them;
    the mark is the one the charts' readout gives the cursor's month.
    """
    months = [str(month) for month in frame["month"].to_list()]
    body = [[cell_text(value) for value in values] for values in _columns(frame)]
    heads = [(HEADINGS[name], _UNITS[name]) for name in ORDER]
    widths = [
        max(len(head), len(unit), *(len(cell) for cell in cells))
        for (head, unit), cells in zip(heads, body, strict=True)
    ]
    month_width = max(len("month"), *(len(month) for month in months))

    def line(mark: str, month: str, cells: list[str]) -> str:
        numbers = "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
        return f"{mark} {month:<{month_width}}  {numbers}".rstrip()

    lines = [line(" ", "month", [head for head, _ in heads]), line(" ", "", [unit for _, unit in heads])]
    for index, month in enumerate(months):
        lines.append(line("▸" if index == cursor else " ", month, [cells[index] for cells in body]))
    return "\n".join(lines) + "\n"


class MonthTable(DataTable[Text]):
    """One row a month, one column an output column; the month fixed on the left."""

    class CursorMoved(Message):
        """The highlight was moved from the table's own keys, to month ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, header_height=2)
        self.fixed_columns = 1
        self._shown: pl.DataFrame | None = None
        self._cursor: int | None = None

    def on_mount(self) -> None:
        self.add_column(Text("month\n"), key="month")
        for name in ORDER:
            self.add_column(Text(f"{HEADINGS[name]}\n{_UNITS[name]}", justify="right"), key=name)
        self.show_cursor = False

    def show(self, frame: pl.DataFrame, cursor: int | None) -> None:
        """The rows of ``frame`` (rebuilt only when it is another frame) and the cursor's row highlighted."""
        if frame is not self._shown:
            self._shown = frame
            keep = self.scroll_offset
            self.clear()
            columns = _columns(frame)
            for index, month in enumerate(frame["month"].to_list()):
                self.add_row(Text(str(month)), *(_cell(values[index]) for values in columns), key=str(index))
            self.scroll_to(keep.x, keep.y, animate=False, immediate=True)
        self._cursor = cursor
        self.show_cursor = cursor is not None
        if cursor is not None and 0 <= cursor < self.row_count and cursor != self.cursor_row:
            self.move_cursor(row=cursor, animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A row highlighted by the user's keys (not by :meth:`show`) moves the cursor there."""
        event.stop()
        if self.has_focus and event.cursor_row != self._cursor:
            self._cursor = event.cursor_row
            self.post_message(self.CursorMoved(event.cursor_row))
