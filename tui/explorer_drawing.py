"""The explorer's projection and its drawing: what is computed for a scenario, and how it is shown.

The projection runs in the screen's newest-wins job; its answer is drawn by the views of
the tab shown (the model is described in docs/model.md). With the uncertainty bands on, a
step's projection and its bands come from two jobs, the bands' asked for once the projection
is done: the projection waits a little for its bands, so that the step is drawn once, with
them, instead of without and then again with. A step whose projection (and bands) were worked
out ahead of its key, or kept from a step before, takes neither job (tui/explorer_ahead.py).
"""

from __future__ import annotations

from textual import on
from textual.widgets import Static, TabbedContent

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.model.figures import key_figures
from ammoflow.scenarios.model.months import month_of
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.answers import Answers
from ammoflow.tui.explorer_base import Asked, ExplorerBase, Projection
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.figures import KeyFiguresView, months_of
from ammoflow.tui.panels.model_view import ModelView
from ammoflow.tui.panels.month_table import MonthTable
from ammoflow.tui.panels.observed import ObservedView
from ammoflow.tui.panels.tornado import TornadoView
from ammoflow.tui.render.chart_data import ChartData
from ammoflow.tui.widgets.chart import Chart

BANDS_WAIT = 0.05
"""Seconds a projection waits, with the bands on, for the bands of its scenario before it is
drawn without them (they follow when they come): 1,000 runs take a few milliseconds, so a step
is one frame; a slow run (many runs, or given the observations) holds the line back no longer."""


class ExplorerDrawing(ExplorerBase):
    """The projection asked for and computed, and drawn on the views of the tab shown."""

    _answers: Answers  # projections and bands computed, for the steps that ask again (the screen's)

    def _compared_baseline(self) -> Scenario:
        """The baseline the projection is compared with: the scenario itself when none is pinned."""
        return self._baseline_for(self.workspace.scenario)

    def _baseline_for(self, scenario: Scenario) -> Scenario:
        """The baseline ``scenario`` is compared with, were it the workspace's (a step worked out ahead)."""
        ws = self.workspace
        return ws.baseline if ws.pinned else scenario

    def _as_of(self) -> int:
        """The month the "as of" key figures are read at: today's (docs/model.md, "Key figures")."""
        return month_of(self._today())

    def _request_compute(self) -> None:
        """The projection of the newest scenario: drawn at once when it is known, else asked for.

        Known (computed ahead of the key, or for a step taken before), it is drawn straight
        after the slider's own frame, with its bands when they are on and known too: no job,
        no thread.
        """
        self._stop_looking_ahead()  # the key first
        scenario, baseline = self.workspace.scenario, self._compared_baseline()
        found = self._answers.projection(scenario, baseline, self.observations, self._as_of())
        if found is not None:
            self._projections.cancel()  # an older scenario's projection under way is not drawn over this one
            # Drawn once the slider's own frame is out. Drawn with it, the frame's one repaint
            # spans both (Textual paints the box around every region that changed): the
            # parameters beside the chart are rendered again, and a step with the bands on was
            # written some 5 ms later than as two frames (benchmarks/tui_latency.py --profile).
            self._answering = found
            self.call_after_refresh(self._answer_known, found)
            return
        self._answering = None
        known = self._result.baseline if self._result else None
        self._projections.start(Asked(scenario, baseline, known))

    def _answer_known(self, projection: Projection) -> None:
        if self._answering is not projection:
            return  # a later key has moved on (and is answered in its turn)
        self._answering = None
        view = self._bands_view
        if view.wanted:
            bands = self._answers.bands(projection.scenario, view.given, self.observations, view.as_of())
            if bands is not None:
                view.take(bands)  # else asked for as a computed projection's are (_show_result)
        self._show_result(projection)

    def _project(self, asked: Asked) -> Projection:
        scenario, baseline, known, as_of = asked.scenario, asked.baseline, asked.known, self._as_of()
        frame = project(scenario)
        figures = key_figures(frame, scenario, self.observations, as_of)
        if known is not None and known[0] == baseline:
            base = known
        elif baseline == scenario:
            base = (baseline, frame, figures)
        else:
            base_frame = project(baseline)
            base = (baseline, base_frame, key_figures(base_frame, baseline, self.observations, as_of))
        return Projection(scenario, frame, figures, base, as_of)

    def _ask_bands(self) -> None:
        """The bands of the newest scenario, when they are on and not drawn or on their way already.

        Asked for once its projection is done, not beside it: both are Python-bound for much of
        their time, and two threads sharing the interpreter's lock take longer together (each
        waits out the other's turns) than one after the other: see benchmarks/bands_step.py.
        """
        view, scenario = self._bands_view, self.workspace.scenario
        if view.wanted and view.job.asked != scenario and not view.current_for(scenario):
            view.ask(scenario)

    def _projection_failed(self, error: str) -> None:
        self.app.notify(f"This scenario could not be projected ({error})", severity="error", timeout=8)
        self._ask_bands()  # they may still say something; they did before the projection failed

    def _show_result(self, projection: Projection) -> None:
        self._answers.keep_projection(projection, self.observations, projection.as_of)
        self._result = projection
        self._stop_holding()
        if projection.scenario == self.workspace.scenario:
            self._ask_bands()
        view = self._bands_view
        if view.wanted and view.job.asked == projection.scenario:  # its bands are on their way
            self._held = self.set_timer(BANDS_WAIT, self._draw_held, name="projection waits for its bands")
            return
        self._draw()

    def _bands_drawn(self) -> None:
        """The bands changed (came, went, or switched mode): drawn with the projection they belong to.

        Bands that came before their scenario's projection are drawn when it comes: drawn now,
        they would not match the projection on screen, which would lose its bands for a frame.
        """
        bands, result = self._bands_view.bands, self._result
        if bands is not None:
            self._answers.keep_bands(bands, self.observations)
        if bands is not None and result is not None and bands.scenario != result.scenario and self._projections.busy:
            return
        self._stop_holding()
        self._draw()

    def _draw_held(self) -> None:
        """The bands took longer than a projection waits for them: the projection now, its bands when they come."""
        self._held = None
        self._draw()

    def _stop_holding(self) -> None:
        if self._held is not None:
            self._held.stop()
            self._held = None

    def _draw(self) -> None:
        result = self._result
        if result is None:
            return
        compared = self.compared()
        self._compared_index %= max(1, len(compared))
        bands = self._bands_view.bands
        ranges = bands.figures if bands is not None and self._bands_view.fans_for(result.scenario) else None
        months = months_of(result.scenario.start, result.scenario.months)
        for view in (self.query_one("#figures", KeyFiguresView), self.query_one("#figures-full", KeyFiguresView)):
            view.show(result.figures, compared, chosen=self._compared_index, ranges=ranges, months=months)
        line = self._compared_line(compared)
        if line != self._compared_text:  # an update lays the screen out again: only when it changed
            self._compared_text = line
            self.query_one("#compared-line", Static).update(line)
        active = self.query_one("#tabs", TabbedContent).active
        if active == "sensitivity":
            self.query_one(TornadoView).show(result.scenario)
        self._draw_chart(active)
        self._look_ahead_later()

    def _draw_chart(self, tab_id: str) -> None:
        result = self._result
        if result is not None and tab_id == "table-tab":
            self.query_one(MonthTable).show(result.frame, self._cursor_index(result.scenario))
        if result is not None and tab_id == "model-tab":
            self.query_one(ModelView).show(result.scenario, result.frame, self._cursor_index(result.scenario))
        if result is not None and tab_id == "observed-tab":
            checks = result.figures.observations
            self.query_one(ObservedView).show(result.scenario, result.frame, checks, self.observations, self._today())
        if result is None or tab_id not in charts.BY_ID:
            return
        data = self._chart_data(tab_id, result, self._bands_view.fans_for(result.scenario))
        chart = self.query_one(f"#chart-{tab_id}", Chart)
        chart.show(data)
        chart.set_cursor(self._cursor_index(result.scenario))

    def _chart_data(self, tab_id: str, result: Projection, fans: charts.Fans | None) -> ChartData:
        """What the chart of tab ``tab_id`` shows for ``result`` with ``fans`` (its bands, or none)."""
        base_scenario, base_frame, _ = result.baseline
        pinned = self.workspace.pinned and base_scenario != result.scenario
        compared = ([charts.Compared("baseline", base_frame)] if pinned else []) + self._chart_runs()
        return charts.chart_data(
            charts.BY_ID[tab_id],
            result.scenario,
            result.frame,
            compared=compared,
            observations=self.observations,
            fans=fans,
            today=self._today(),
        )

    def _chart_shown(self) -> tuple[str, Chart] | None:
        """The tab shown and its chart, when it shows one."""
        tab_id = self.query_one("#tabs", TabbedContent).active
        return (tab_id, self.query_one(f"#chart-{tab_id}", Chart)) if tab_id in charts.BY_ID else None

    def _place_figures(self) -> None:
        """The figures under the charts, unless the Figures tab shows them or the screen is narrow."""
        tabs = self.query("#tabs").results(TabbedContent)
        active = next((tab.active for tab in tabs), "")
        self.query_one("#figures", KeyFiguresView).display = active != "figures-tab" and not self.has_class("-narrow")

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # The Figures tab shows the full table; the one under the charts would repeat it.
        self._place_figures()
        if event.pane.id == "sensitivity" and self._result is not None:
            self.query_one(TornadoView).show(self._result.scenario)
        self._draw_chart(event.pane.id or "")
