"""The legend names every series and every kept run, even at 80x24 with three runs kept."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pilot_waits import settle

from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.render.cells import ELLIPSIS
from ammoflow.tui.render.chart_plan import plan
from ammoflow.tui.widgets.chart import Chart

TABS = {"1": "containers", "2": "rounds", "3": "stocks", "4": "front", "5": "flows"}


def legend(chart: Chart) -> list[str]:
    """The rows under the x axis's month labels."""
    rows = chart.rows
    axis = next(i for i, row in enumerate(rows) if "└" in row)
    return [row.rstrip() for row in rows[axis + 2 :] if row.strip()]


def run_name_matches(shown: str, name: str) -> bool:
    """Whether ``shown`` is ``name``, or ``name`` cut in the middle with both its ends kept."""
    if ELLIPSIS not in shown:
        return shown == name
    head, tail = shown.split(ELLIPSIS)
    return len(shown) < len(name) and name.startswith(head) and name.endswith(tail)


@pytest.mark.parametrize("key", list(TABS))
async def test_every_series_and_each_of_three_kept_runs_is_named_at_80x24(key: str, private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)
        app.query_one(ParametersPanel).focus_parameter("containers_per_month")
        for _ in range(2):
            await pilot.press("pagedown", "pagedown")
            await settle(pilot, app)
            await pilot.press("k")
            await settle(pilot, app)
        await pilot.press(key)
        await settle(pilot, app)
        chart = app.query_one(f"#chart-{TABS[key]}", Chart)
        rows = legend(chart)
        text = "\n".join(rows)
        assert not any(row.endswith(f" {ELLIPSIS}") for row in rows), "no entry left out"
        data = chart.data
        assert data is not None
        glyphs = plan(data.series).glyphs
        for glyph, item in zip(glyphs, data.series, strict=True):
            assert glyph in text, item.label
        # Each run once, after the glyphs of its lines, under a name that is its own.
        runs = ["baseline", *app.explorer.runs.labels]
        assert len(runs) == 4
        named: dict[int, str] = {}
        for item, glyph in zip(data.series, glyphs, strict=True):
            if item.kind != "baseline":
                continue
            found = re.search(rf"(?:^|  )\S*{re.escape(glyph)}\S* (.+?)(?:  |$)", text, re.MULTILINE)
            assert found, item.label
            named.setdefault(item.run, found[1])
            assert named[item.run] == found[1], "a run's lines share its one entry"
        assert len(named) == 4
        for index, shown in named.items():
            assert run_name_matches(shown.removesuffix(" North Korea").removesuffix(" Russia"), runs[index]), shown
        assert len(set(named.values())) == 4, "no two runs named alike"


async def test_the_observed_views_chart_names_every_mark_at_120x40(private_state: Path) -> None:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("0")
        await settle(pilot, app)
        rows = legend(app.query_one("#observed-chart", Chart))
        assert rows, "the chart has room for a legend"
        assert not any(row.endswith(ELLIPSIS) for row in rows), rows
        text = "\n".join(rows)
        for name in ("now", "last observed", "projected", "lower bound", "observed, missed"):
            assert name in text, name
