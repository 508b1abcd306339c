"""Exporting the view shown (X): a chart, the month table or the model view, as a file.

A chart is written as drawn, as an SVG picture or as text; the month table as CSV or Parquet
(its numbers for other tools, written as ``e`` and ``ammoflow run`` write the projection, in
the table's column order) or as text as the screen shows it; the model view as text or as an
SVG picture. The name's ending picks the form, and the prompt refuses an ending the view is
not written as. What is written is what the view showed when X was pressed (the cursor's
month included), written carefully (safe_write) and never over a file without asking.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import attrs
import polars as pl
from rich.console import Console
from rich.text import Text
from textual.content import Content
from textual.widgets import Static, TabbedContent

from ammoflow.scenarios.files.projection_file import projection_bytes
from ammoflow.scenarios.model.numbers import format_count
from ammoflow.scenarios.model.text import excerpt
from ammoflow.tui.explorer_base import ExplorerBase, dialog_action, slug
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import ORDER, table_text
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.widgets.chart import Chart

__all__ = ["ExplorerExport", "ViewExport", "chart_export", "model_export", "table_export"]


@attrs.frozen
class ViewExport:
    """What X writes for one view: the prompt's words, the name offered, and a writer for each ending."""

    what: str
    """The view, as the notification names it ("the month table")."""
    title: str
    default: str
    forms: dict[str, tuple[str, Callable[[], str | bytes]]]
    """By ending (".csv"): what the file is written as ("CSV"), and its content."""

    @property
    def suffix(self) -> str:
        """The ending a name typed without one is given: the default's."""
        return Path(self.default).suffix

    def check(self, path: Path) -> None:
        """Refuse an ending this view is not written as, naming those it is (the prompt shows it)."""
        if path.suffix.lower() not in self.forms:
            endings = ", ".join(self.forms)
            raise ValueError(f"{excerpt(path.name, 60)}: {self.what} is exported as {endings}")

    def form(self, path: Path) -> str:
        return self.forms[path.suffix.lower()][0]

    def content(self, path: Path) -> str | bytes:
        return self.forms[path.suffix.lower()][1]()


def chart_export(chart: Chart, scenario_name: str) -> ViewExport | None:
    """A chart as drawn: SVG in its theme's colours, or its text (None: nothing drawn yet)."""
    data = chart.data
    if data is None:
        return None
    return ViewExport(
        "the chart",
        "Export the chart as SVG (or as text: end the name in .txt)",
        f"{slug(scenario_name)}-{slug(data.title)}.svg",
        {".svg": ("SVG", lambda: chart.as_svg(data.title)), ".txt": ("text", chart.as_text)},
    )


def table_export(frame: pl.DataFrame, cursor: int | None, scenario_name: str) -> ViewExport:
    """The month table: its numbers as CSV or Parquet, or the table as text with the cursor's month marked."""
    columns = ["month", *(name for name in ORDER if name in frame.columns)]
    months = format_count(frame.height, "month")
    return ViewExport(
        f"the month table ({months})",
        "Export the table: .csv or .parquet (the numbers), or .txt (as the screen shows it)",
        f"{slug(scenario_name)}-table.csv",
        {
            ".csv": ("CSV", lambda: projection_bytes(frame.select(columns), "csv")),
            ".parquet": ("Parquet", lambda: projection_bytes(frame.select(columns), "parquet")),
            ".txt": ("text as shown", lambda: table_text(frame, cursor)),
        },
    )


def _plain(content: object) -> Text:
    """A Static's content as Rich text (its styles kept where it has them)."""
    if isinstance(content, Text):
        return content
    if isinstance(content, Content):
        return Text(content.plain)
    return Text(str(content))


def model_export(view: ModelView, scenario_name: str) -> ViewExport:
    """The model view as it shows now (diagram of the month shown, equations): text, or an SVG picture."""
    blocks = [_plain(static.content) for static in view.query(Static)]
    text = "".join(line.rstrip() + "\n" for line in "\n".join(block.plain for block in blocks).split("\n"))

    def svg() -> str:
        width = max(len(line) for line in text.split("\n"))
        console = Console(record=True, width=max(width, 1), file=io.StringIO(), force_terminal=True)
        for block in blocks:
            console.print(block, no_wrap=True, overflow="crop", crop=False)
        return console.export_svg(title=f"{scenario_name}: the model")

    return ViewExport(
        "the model view",
        "Export the model view as text (or as SVG: end the name in .svg)",
        f"{slug(scenario_name)}-model.txt",
        {".txt": ("text", lambda: text), ".svg": ("SVG", svg)},
    )


class ExplorerExport(ExplorerBase):
    """X: the view shown, as a file."""

    def _view_export(self) -> ViewExport | None:
        """What X offers for the tab shown (None: that view is not exported)."""
        active = self.query_one("#tabs", TabbedContent).active
        name = self.workspace.scenario.name
        result = self._result
        if active in charts.BY_ID:
            return chart_export(self.query_one(f"#chart-{active}", Chart), name)
        if active == "observed-tab":
            return chart_export(self.query_one(ObservedView).query_one(Chart), name)
        if active == "table-tab" and result is not None:
            return table_export(result.frame, self._cursor_index(result.scenario), name)
        if active == "model-tab" and result is not None:
            return model_export(self.query_one(ModelView), name)
        return None

    @dialog_action
    async def action_export_chart(self) -> None:
        """The view shown as a file: a chart, the month table or the model view (see the module)."""
        export = self._view_export()
        if export is None:
            self.app.notify(
                "Only a chart, the month table or the model can be exported: show one first (keys 1 to 5, 0, 9, m).",
                severity="warning",
            )
            return
        path = await self.write_chosen(export.title, export.default, export.suffix, export.check, export.content)
        if path is not None:
            self.app.notify(f"Exported {export.what} as {export.form(path)} to {path}", timeout=4)
