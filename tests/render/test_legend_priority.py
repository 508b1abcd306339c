"""A crowded legend names what the chart shows first: a glyph hidden under another pushes out none drawn."""

from __future__ import annotations

import re

from chart_samples import month_labels
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from ammoflow.tui.render.cells import ELLIPSIS
from ammoflow.tui.render.chart_data import ChartData, Mark, Series
from ammoflow.tui.render.chart_layout import chart_rows
from ammoflow.tui.render.chart_legend import legend_layout
from ammoflow.tui.render.chart_plan import plan
from ammoflow.tui.render.plotext_canvas import Canvas


def observed_chart() -> ChartData:
    """A projection with observations, one of them (a missed bound) drawn on the very cell of another."""
    months = 24
    return ChartData(
        "Containers",
        "",
        month_labels(months),
        [
            Series("projected", [100.0 * i for i in range(months)]),
            Series("lower bound", [300.0, 1500.0], kind="markers", x=[3.0, 15.0], glyph="▲", short="lower"),
            Series("lower bound, missed", [800.0], kind="markers", x=[8.0], glyph="△", short="lower missed"),
            Series("observed", [800.0], kind="markers", x=[8.0], glyph="◆"),
            Series("observed, missed", [1000.0], kind="markers", x=[12.0], glyph="◇", short="obs. missed"),
        ],
        (Mark("now 2025-06", 20.5, "now"), Mark("last observed 2024-08-27", 12.0, "last observed")),
    )


def split(rows: list[tuple[str, str]]) -> tuple[str, list[str]]:
    texts = [text for text, _ in rows]
    axis = next(i for i, text in enumerate(texts) if "└" in text)
    return "".join(texts[:axis]), [text.rstrip() for text in texts[axis + 2 :] if text.strip()]


def test_a_shape_hidden_under_another_gives_its_place_in_the_legend_to_one_drawn() -> None:
    data = observed_chart()
    plot, legend = split(chart_rows(data, 26, 10, Canvas()))
    text = "\n".join(legend)
    assert "△" not in plot, "the missed bound lies under the observation drawn after it"
    assert ELLIPSIS not in text, legend
    for glyph in "•▲◆◇┃╎":
        assert glyph in plot
        assert re.search(rf"(?:^|  ){glyph} \S", text, re.MULTILINE), (glyph, legend)
    assert "△" not in text, "the legend names nothing the chart does not show"


def test_a_legend_with_room_still_names_every_series_drawn_or_not() -> None:
    data = observed_chart()
    _, legend = split(chart_rows(data, 120, 20, Canvas()))
    assert "△ lower bound, missed" in "\n".join(legend), "where everything fits, nothing is left out"


def test_a_crowded_legend_takes_rows_from_the_plot_while_it_keeps_two() -> None:
    data = observed_chart()
    rows = [text for text, _ in chart_rows(data, 26, 10, Canvas())]
    axis = next(i for i, text in enumerate(rows) if "└" in text)
    assert axis - 1 >= 2, "two rows of plot at least"
    _, legend = split(chart_rows(data, 26, 10, Canvas()))
    assert len(legend) >= 3, "more legend rows than the plot's height alone would allow"


def test_entries_that_do_not_fit_in_order_go_to_the_first_row_with_room() -> None:
    # In order, "• projected" then "△ lower bound, missed" overflow a row of 24 and need four
    # rows; placed where they fit, three do.
    data = ChartData(
        "",
        "",
        month_labels(12),
        [
            Series("a-long-line", [1.0] * 12),
            Series("projected", [2.0] * 12),
            Series("lower bound, missed", [1.0], kind="markers", x=[3.0], glyph="△"),
            Series("short", [3.0] * 12),
        ],
    )
    rows, complete = legend_layout(data, plan(data.series), 24, 3)
    assert complete
    text = "\n".join(text for text, _ in rows)
    assert len(rows) <= 3 and ELLIPSIS not in text
    for item in data.series:
        assert f" {item.label}" in text


labels = st.text(alphabet="abcdefgh ,", min_size=1, max_size=14).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(labels, min_size=1, max_size=8, unique=True), st.integers(12, 60), st.integers(1, 4))
def test_a_legend_never_overflows_and_names_each_entry_whole_when_complete(
    names: list[str], width: int, max_rows: int
) -> None:
    data = ChartData("", "", month_labels(6), [Series(name, [1.0] * 6) for name in names])
    glyphs = plan(data.series).glyphs
    rows, complete = legend_layout(data, plan(data.series), width, max_rows)
    assert len(rows) <= max_rows
    assert all(cell_len(text.rstrip()) <= width for text, _ in rows)
    text = "\n".join(text.rstrip() for text, _ in rows)
    if complete:
        assert ELLIPSIS not in text
        for glyph, name in zip(glyphs, names, strict=True):
            assert re.search(rf"(?:^|  ){re.escape(glyph)} {re.escape(name)}(?:  |$)", text, re.MULTILINE), (
                name,
                text,
            )
    else:
        assert ELLIPSIS in text, "what is left out or cut is marked"
