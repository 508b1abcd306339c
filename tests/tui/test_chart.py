"""Tests for the chart widget: what it shows, how it redraws, and its edge cases."""

from __future__ import annotations

import asyncio
import functools
import itertools
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from chart_samples import month_labels, sample
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot

from ammoflow.tui.render.chart_data import ChartData, Series
from ammoflow.tui.render.chart_layout import NO_DATA_NOTE
from ammoflow.tui.render.chart_plan import BAND_GLYPHS, BASELINE_GLYPHS, LINE_GLYPHS, MARKER_GLYPHS
from ammoflow.tui.widgets.chart import Chart


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async pilot test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper() -> None:
        asyncio.run(test())

    return wrapper


class ChartHost(App[None]):
    """A screen holding one chart."""

    def __init__(self, data: ChartData | None = None) -> None:
        super().__init__()
        self.initial = data

    def compose(self) -> ComposeResult:
        yield Chart(self.initial, id="chart")


def chart_of(app: App[Any]) -> Chart:
    return app.query_one("#chart", Chart)


def screen_lines(app: App[Any]) -> list[str]:
    """The text the screen currently shows, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


# ---------------------------------------------------------------------------
# What the chart shows
# ---------------------------------------------------------------------------


@run_async
async def test_shows_title_unit_ticks_and_legend() -> None:
    app = ChartHost(sample())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Russian stockpile" in text
        assert "rounds" in text
        for label in ("Projected", "Pinned", "Observed", "Range"):
            assert label in text
        assert "2024-01" in text
        assert "2025-01" in text
        # The y axis tops out at a human number: 47M of data gives a 50M tick.
        assert "50M" in text
        assert "0┤" in text


@pytest.mark.parametrize(("size", "months"), [((60, 16), 60), ((118, 36), 48), ((30, 12), 24)])
def test_x_tick_labels_never_touch(size: tuple[int, int], months: int) -> None:
    @run_async
    async def check() -> None:
        app = ChartHost(sample(months=months))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            lines = screen_lines(app)
            axis = next(y for y, line in enumerate(lines) if "└" in line)
            tick_row = lines[axis + 1]
            words = list(re.finditer(r"\S+", tick_row))
            assert len(words) >= 2, tick_row
            assert all(re.fullmatch(r"\d{4}(-\d{2})?", word.group()) for word in words), tick_row
            gaps = [b.start() - a.end() for a, b in itertools.pairwise(words)]
            assert min(gaps) >= 2, tick_row

    check()


@run_async
async def test_showing_new_data_changes_the_drawing() -> None:
    app = ChartHost(sample(1.0))
    async with app.run_test(size=(90, 26)) as pilot:
        await settle(pilot)
        before = screen_lines(app)
        chart_of(app).show(sample(0.3))
        await settle(pilot)
        after = screen_lines(app)
        assert before != after
        assert before[0] == after[0]  # same title
        changed = [y for y, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
        assert len(changed) > 3


@run_async
async def test_only_changed_cells_are_refreshed() -> None:
    months = 48
    base = sample(1.0, months)
    # Change only the last two months of the first series.
    values = list(base.series[0].y)
    values[-2:] = [v * 0.9 for v in values[-2:]]
    nudged = ChartData(
        base.title,
        base.y_unit,
        base.x_labels,
        [Series("Projected", values), *base.series[1:]],
    )
    app = ChartHost(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = screen_lines(app)
        chart = chart_of(app)
        calls: list[tuple[Region, ...]] = []
        original = chart.refresh

        def spy(*regions: Region, **kwargs: Any) -> Chart:
            calls.append(regions)
            return original(*regions, **kwargs)

        chart.refresh = spy  # type: ignore[method-assign]
        chart.show(nudged)
        assert calls, "show() with new values must repaint something"
        assert all(regions for regions in calls), "whole-widget refresh on a small change"
        regions = [region for batch in calls for region in batch]
        assert sum(region.area for region in regions) < chart.size.area // 10
        assert all(region.x > 50 for region in regions), regions
        calls.clear()
        chart.show(nudged)  # same data again: nothing to do
        assert calls == []
        chart.refresh = original  # type: ignore[method-assign]
        await settle(pilot)
        after = screen_lines(app)
        assert chart.rows == after
        # A terminal only receives the refreshed regions: every changed cell must be in one.
        changed = [
            (x, y)
            for y, (old, new) in enumerate(zip(before, after, strict=True))
            for x, (a, b) in enumerate(zip(old, new, strict=True))
            if a != b
        ]
        assert changed
        assert all(any(region.contains(x, y) for region in regions) for x, y in changed)


@run_async
async def test_resize_rebuilds_at_the_new_size() -> None:
    app = ChartHost(sample())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        small = screen_lines(app)
        assert len(chart_of(app).rows[0]) == 60
        await pilot.resize_terminal(110, 32)
        await settle(pilot)
        large = screen_lines(app)
        assert len(chart_of(app).rows) == 32
        assert all(len(row) == 110 for row in chart_of(app).rows)
        assert large[0].startswith("Russian stockpile")
        assert "Projected" in "\n".join(large)
        # More room gives more x tick labels.
        assert sum(line.count("20") for line in large) > sum(line.count("20") for line in small)


@pytest.mark.parametrize("size", [(15, 4), (19, 10), (40, 4), (1, 1)])
def test_tiny_size_shows_a_note(size: tuple[int, int]) -> None:
    @run_async
    async def check() -> None:
        app = ChartHost(sample())
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "┤" not in text
            if size[0] >= 9:
                assert "too small" in text

    check()


@run_async
async def test_nan_empty_and_zero_data_do_not_crash() -> None:
    app = ChartHost()
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert NO_DATA_NOTE in screen_text(app)
        chart = chart_of(app)
        cases = [
            ChartData("Empty", "rounds", [], []),
            ChartData("All NaN", "rounds", month_labels(12), [Series("a", [math.nan] * 12)]),
            ChartData("None", "rounds", month_labels(3), [Series("a", [None, None, None])]),  # type: ignore[list-item]
            ChartData("Zero", "rounds", month_labels(12), [Series("a", [0.0] * 12)]),
            ChartData("One month", "rounds", ["2024-01"], [Series("a", [5.0])]),
            ChartData("Inf", "rounds", month_labels(4), [Series("a", [1, math.inf, -math.inf, 2])]),
            ChartData(
                "Gaps",
                "rounds",
                month_labels(12),
                [
                    Series("a", [1, 2, math.nan, 4, 5, math.nan, math.nan, 8, 9, 10, 11, 12]),
                    Series("b", [1] * 12, kind="band", y_high=[2, 3, math.nan] + [4] * 9),
                    Series("c", [3] * 12, kind="band"),
                    Series("d", [], kind="markers", x=[]),
                ],
            ),
            ChartData("Negative", "rounds/month", month_labels(6), [Series("a", [-5e5, 2e5, -1e6, 0, 3, 4])]),
            ChartData("Short labels", "rounds", [], [Series("a", [1.0, 2.0, 3.0])]),
        ]
        for data in cases:
            chart.show(data)
            await settle(pilot)
            text = screen_text(app)
            assert data.title in text
        chart.show(cases[1])
        await settle(pilot)
        assert NO_DATA_NOTE in screen_text(app)
        chart.show(cases[7])
        await settle(pilot)
        assert "-1M" in screen_text(app)


def test_show_rejects_other_types() -> None:
    @run_async
    async def check() -> None:
        app = ChartHost()
        async with app.run_test(size=(40, 10)):
            with pytest.raises(TypeError):
                chart_of(app).show({"title": "x"})  # type: ignore[arg-type]

    check()


# ---------------------------------------------------------------------------
# Without colour and with themes
# ---------------------------------------------------------------------------


def test_series_differ_by_character_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    @run_async
    async def check() -> None:
        data = ChartData(
            "Four lines",
            "rounds",
            month_labels(24),
            [
                Series("first", [100.0 * i for i in range(24)]),
                Series("second", [60.0 * i + 200 for i in range(24)]),
                Series("pinned", [30.0 * i + 800 for i in range(24)], kind="baseline"),
                Series("seen", [50.0 * i for i in range(0, 24, 4)], kind="markers", x=list(range(0, 24, 4))),
            ],
        )
        app = ChartHost(data)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.no_color
            lines = screen_lines(app)
            plot = "\n".join(lines[2:-3])
            legend = lines[-1]
            glyphs = [LINE_GLYPHS[0], LINE_GLYPHS[1], BASELINE_GLYPHS[0], MARKER_GLYPHS[0]]
            assert len(set(glyphs)) == 4
            for glyph, label in zip(glyphs, ("first", "second", "pinned", "seen"), strict=True):
                assert glyph in plot, glyph
                assert f"{glyph} {label}" in legend

    check()


@run_async
async def test_a_narrow_band_is_drawn_over_a_wide_one_whatever_their_order() -> None:
    # Two series' bands overlap, the narrow one listed first: it must not be buried.
    months = 24
    narrow = Series("narrow", [40.0] * months, kind="band", y_high=[60.0] * months)
    wide = Series("wide", [0.0] * months, kind="band", y_high=[100.0] * months)
    app = ChartHost(ChartData("Bands", "rounds", month_labels(months), [narrow, wide]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        plot = "\n".join(lines[2:-3])
        legend = lines[-1]
        # Glyphs follow the order of the series, so the legend does not change with the data ...
        assert f"{BAND_GLYPHS[0]} narrow" in legend and f"{BAND_GLYPHS[1]} wide" in legend
        # ... and both bands show: the narrow one in the middle rows, the wide one around it.
        assert plot.count(BAND_GLYPHS[0]) > months * 2
        assert plot.count(BAND_GLYPHS[1]) > months * 2


def colour_of(app: App[Any], glyph: str) -> Color:
    """Foreground colour of the first on-screen cell showing ``glyph``."""
    for y, line in enumerate(screen_lines(app)):
        x = line.find(glyph)
        if x >= 0:
            style = app.screen._compositor.get_style_at(x, y)
            assert style.color is not None
            return Color.from_rich_color(style.color)
    raise AssertionError(f"{glyph!r} not on screen")


@run_async
async def test_colours_follow_the_theme() -> None:
    data = ChartData("Themed", "rounds", month_labels(12), [Series("a", [float(i) for i in range(12)])])
    app = ChartHost(data)
    async with app.run_test(size=(60, 16)) as pilot:
        app.theme = "textual-dark"
        await settle(pilot)
        dark = colour_of(app, LINE_GLYPHS[0])
        assert dark == Color.parse(app.current_theme.primary)
        app.theme = "textual-light"
        await settle(pilot)
        light = colour_of(app, LINE_GLYPHS[0])
        assert light == Color.parse(app.current_theme.primary)
        assert dark != light
        app.theme = "ansi-dark"
        await settle(pilot)
        assert colour_of(app, LINE_GLYPHS[0]) != light


@run_async
async def test_each_compared_run_keeps_a_colour_of_its_own() -> None:
    months = 12
    runs = [Series(f"run {k}", [float(k * 10 + i) for i in range(months)], kind="baseline", run=k) for k in range(3)]
    app = ChartHost(ChartData("Runs", "rounds", month_labels(months), runs))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-dark"
        await settle(pilot)
        colours = {colour_of(app, BASELINE_GLYPHS[k]) for k in range(3)}
        assert len(colours) == 3, "three runs, three colours"
