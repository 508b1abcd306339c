"""The charts' cursor: one month whose every value the charts, the table and the model view read.

Moving it redraws the view shown, never projects.
"""

from __future__ import annotations

from textual import on
from textual.widgets import TabbedContent

from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.explorer_base import ExplorerBase
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.widgets.chart import Chart


class ExplorerCursor(ExplorerBase):
    """The cursor's month (``cursor_month``), its keys, and the views' messages that move it."""

    def _cursor_index(self, scenario: Scenario) -> int | None:
        labels = scenario.month_labels()
        return labels.index(self.cursor_month) if self.cursor_month in labels else None

    def _put_cursor(self, index: int | None) -> None:
        labels = self.workspace.scenario.month_labels()
        self.cursor_month = None if index is None else labels[min(max(index, 0), len(labels) - 1)]
        active = self.query_one("#tabs", TabbedContent).active
        if active in charts.BY_ID and self._result is not None:  # the chart as drawn, the cursor moved
            self.query_one(f"#chart-{active}", Chart).set_cursor(self._cursor_index(self._result.scenario))
        else:
            self._draw_chart(active)

    def action_toggle_cursor(self) -> None:
        """The cursor on at the present (or the first month when the present is outside), or off."""
        if self.cursor_month is not None:
            self._put_cursor(None)
            before, self._focus_before_cursor = self._focus_before_cursor, None
            if isinstance(self.focused, (Chart, MonthTable)) and before is not None and before.is_attached:
                before.focus()  # the arrows go back to the slider they moved before the cursor took them
            return
        labels = self.workspace.scenario.month_labels()
        now = f"{self._today():%Y-%m}"
        self._put_cursor(labels.index(now) if now in labels else 0)
        self._focus_before_cursor = self.focused
        active = self.query_one("#tabs", TabbedContent).active
        if active in charts.BY_ID:
            self.query_one(f"#chart-{active}", Chart).focus()  # the arrows move it from here
        elif active == "table-tab":
            self.query_one(MonthTable).focus()

    def action_step_cursor(self, step: int) -> None:
        index = self._cursor_index(self.workspace.scenario)
        if index is None:
            self.action_toggle_cursor()
        else:
            self._put_cursor(index + step)

    @on(Chart.CursorMoved)
    @on(MonthTable.CursorMoved)
    def _chart_cursor_moved(self, event: Chart.CursorMoved | MonthTable.CursorMoved) -> None:
        self._put_cursor(event.index)
