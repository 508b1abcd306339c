"""Projected against observed: every observation beside the projection at its date, with its verdict.

The verdicts are the model's (:func:`ammoflow.scenarios.model.observations.check`, through
the key figures' checks), so this view, ``ammoflow summary`` and the fit agree. Above the
table the chosen observation's metric is charted with the projection, each observation
drawn by its shape (a lower bound as ``▲``: bounds stay bounds), and the chart's cursor on
the chosen observation's month reads the projection there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from ammoflow.scenarios.model.figures import ObservationCheck, describe_observed
from ammoflow.scenarios.model.numbers import format_whole
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.widgets.chart import Chart

__all__ = ["ObservedView", "verdict_text"]

_TABS = {"cumulative_containers": "containers", "cumulative_rounds": "rounds"}
_METRICS = {"cumulative_containers": "containers", "cumulative_rounds": "rounds"}


def verdict_text(check: ObservationCheck) -> str:
    """The verdict as the table shows it: a sign first (✓ or ✗), so it never rests on colour."""
    verdict = check.verdict
    if check.projected is None or verdict is None:
        return f"– {check.why_missing}"
    return ("✓ " if verdict.consistent else "✗ ") + verdict.text


class ObservedView(Vertical):
    """A chart of the chosen observation's metric above a table of every observation and its verdict."""

    # Below 80 columns the legend wraps over up to four rows to name every shape the chart
    # shows: the chart keeps eleven rows (title, a readout of two, a plot of two with its axis
    # and month labels, the legend) and the table, at 60x20, three observations.
    # Unscoped, so that a rule can name the screen's size class.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    ObservedView { height: 1fr; }
    ObservedView > DataTable { height: 2fr; }
    Screen.-narrow ObservedView > Chart { min-height: 11; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._checks: tuple[ObservationCheck, ...] = ()
        self._shown: tuple[Scenario, pl.DataFrame, Sequence[Observation], date | None] | None = None

    def compose(self) -> ComposeResult:
        # The chart takes the larger share: at 120x40 that leaves its legend the two rows that name
        # every mark; the table scrolls, and the readout repeats the highlighted row.
        yield Chart(id="observed-chart")
        table: DataTable[Text] = DataTable(id="observed-table", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The sign beside the date, so that a narrow screen still shows every verdict.
        for heading in ("date", "", "observed", "projected", "reads as", "claimed by"):
            table.add_column(heading, key=heading or "sign")

    def show(
        self,
        scenario: Scenario,
        frame: pl.DataFrame,
        checks: Sequence[ObservationCheck],
        observations: Sequence[Observation],
        today: date | None,
    ) -> None:
        """Every check as a row (rebuilt when they change) and the chart of the highlighted one."""
        table: DataTable[Text] = self.query_one(DataTable)
        if tuple(checks) != self._checks:
            self._checks = tuple(checks)
            row = table.cursor_row
            table.clear()
            for check in self._checks:
                o = check.observation
                projected = "" if check.projected is None else format_whole(check.projected)
                sign, _, reading = verdict_text(check).partition(" ")
                metric = _METRICS.get(o.metric, o.metric)
                table.add_row(
                    Text(o.day.isoformat()),
                    Text(sign),
                    Text(f"{visible(describe_observed(o))} {metric}"),
                    Text(projected, justify="right"),
                    Text(reading),
                    Text(visible(o.claimant)),
                )
            if self._checks:
                table.move_cursor(row=min(max(row, 0), len(self._checks) - 1), animate=False)
        self._shown = (scenario, frame, observations, today)
        self._chart()

    def _chart(self) -> None:
        """The highlighted observation's metric charted, the cursor on its month."""
        if self._shown is None:
            return
        scenario, frame, observations, today = self._shown
        row = self.query_one(DataTable).cursor_row
        check = self._checks[row] if 0 <= row < len(self._checks) else None
        metric = check.observation.metric if check is not None else "cumulative_containers"
        tab = charts.BY_ID[_TABS.get(metric, "containers")]
        chart = self.query_one(Chart)
        chart.show(charts.chart_data(tab, scenario, frame, observations=observations, today=today))
        cursor = None
        if check is not None:
            labels = scenario.month_labels()
            month = f"{check.observation.day:%Y-%m}"
            cursor = labels.index(month) if month in labels else None
        chart.set_cursor(cursor)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._chart()
