"""The present and the last observation marked on a chart: a rule each, named in the legend."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from chart_samples import month_labels, sample

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model.observations import Observation
from ammoflow.tui.panels.chart_tabs import BY_ID, chart_data, observation_position
from ammoflow.tui.render.chart_data import ChartData, Mark, Series
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.chart_plan import MARK_GLYPHS, mark_code
from ammoflow.tui.render.plotext_canvas import Canvas


@pytest.fixture(scope="module")
def canvas() -> Canvas:
    return Canvas()


def _columns(rows: list[tuple[str, str]], glyph: str) -> set[int]:
    """The columns where ``glyph`` appears in the plot (not the legend, the last rows)."""
    return {i for text, _ in rows[:-3] for i, char in enumerate(text) if char == glyph}


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 16)])
def test_each_mark_is_a_rule_down_the_plot_named_in_the_legend(canvas: Canvas, size: tuple[int, int]) -> None:
    data = dataclasses.replace(sample(), marks=(Mark("now 2026-11", 38.0), Mark("last observed 2024-08-27", 11.9)))
    rows = chart_rows(data, *size, canvas)
    for index, mark in enumerate(data.marks):
        glyph = MARK_GLYPHS[index]
        columns = _columns(rows, glyph)
        assert len(columns) == 1, f"{mark.label}: one column, not {sorted(columns)}"
        (column,) = columns
        plot_rows = [text for text, _ in rows if len(text) > column and text[column] == glyph]
        assert len(plot_rows) >= (size[1] - 6) // 2, "the rule runs down the plot, not a dot"
        assert all(codes[column] == mark_code(index) for text, codes in rows if text[column] == glyph)
    legend = "\n".join(text for text, _ in rows[-3:])
    assert f"{MARK_GLYPHS[0]} now 2026-11" in legend
    assert f"{MARK_GLYPHS[1]} last observed 2024-08-27" in legend
    now, last = (min(_columns(rows, g)) for g in MARK_GLYPHS[:2])
    assert last < now, "the earlier date is further left"


def test_a_mark_outside_the_months_is_neither_drawn_nor_named(canvas: Canvas) -> None:
    data = dataclasses.replace(sample(months=24), marks=(Mark("now 2030-01", 75.0),))
    rows = chart_rows(data, 100, 30, canvas)
    assert not _columns(rows, MARK_GLYPHS[0])
    assert all("now" not in text for text, _ in rows)


def test_the_tabs_mark_today_and_the_last_observation_wherever_they_fall() -> None:
    scenario = presets.load("baseline")
    frame = project(scenario)
    observations = (
        Observation(date(2024, 2, 23), "cumulative_containers", 6700.0, "about", "A", "", ""),
        Observation(date(2024, 8, 27), "cumulative_rounds", 5.0e6, "more than", "B", "", ""),
    )
    for tab_id in ("containers", "stocks"):
        data = chart_data(BY_ID[tab_id], scenario, frame, observations=observations, today=date(2025, 6, 15))
        assert data.marks == (
            Mark("now 2025-06", observation_position(scenario, 2025 * 12 + 5, 15), "now"),
            Mark("last observed 2024-08-27", observation_position(scenario, 2024 * 12 + 7, 27), "last observed"),
        )
    later = chart_data(BY_ID["containers"], scenario, frame, observations=(), today=date(2026, 11, 30))
    assert [mark.label for mark in later.marks] == ["now 2026-11"], "no observations: no last-observed mark"


def test_a_crowded_legend_names_the_marks_first_in_short() -> None:
    edges = {
        ("North Korea", "5-95%"): (0.5, 2.5),
        ("North Korea", "25-75%"): (1.0, 2.0),
        ("Russia", "5-95%"): (3.0, 5.0),
        ("Russia", "25-75%"): (3.5, 4.5),
    }
    series = [
        Series(f"{name} {band}", [low] * 24, kind="band", y_high=[high] * 24)
        for (name, band), (low, high) in edges.items()
    ]
    data = ChartData(
        "Stockpiles",
        "rounds",
        month_labels(24),
        [*series, Series("North Korea", [1.5] * 24), Series("Russia", [4.0] * 24)],
        (Mark("now 2025-06", 20.5, "now"), Mark("last observed 2024-08-27", 11.9, "last observed")),
    )
    rows = chart_rows(data, 42, 14, Canvas())  # three legend rows: every glyph drawn is named
    legend = " ".join(text for text, _ in rows[-3:])
    assert legend.startswith(f"{MARK_GLYPHS[0]} now  {MARK_GLYPHS[1]} last observed")
    assert "…" not in legend and all(f" {item.label} " in f" {legend} " for item in data.series)
    short = chart_rows(data, 42, 8, Canvas())  # a plot of two rows: what it hides is not named
    legend = " ".join(text for text, _ in short[-2:])
    assert legend.startswith(f"{MARK_GLYPHS[0]} now  {MARK_GLYPHS[1]} last observed")
    roomy = chart_rows(data, 160, 20, Canvas())
    assert "┃ now 2025-06" in " ".join(text for text, _ in roomy[-3:])  # with room, the full labels after the series
