"""Axis ticks: round values on the y axis, month labels that never touch on the x axis."""

from __future__ import annotations

from chart_samples import month_labels
from hypothesis import given, settings
from hypothesis import strategies as st

from ammoflow.tui.render.ticks import month_ticks, nice_ticks, tick_labels


@settings(max_examples=200, deadline=None)
@given(
    low=st.floats(-1e9, 1e9, allow_nan=False),
    span=st.floats(0, 1e9, allow_nan=False),
    max_ticks=st.integers(2, 10),
)
def test_nice_ticks_cover_the_data_with_distinct_labels(low: float, span: float, max_ticks: int) -> None:
    high = low + span
    ticks = nice_ticks(low, high, max_ticks)
    step = ticks[1] - ticks[0]
    assert ticks[0] <= min(low, 0.0) + 1e-6 * step
    assert ticks[-1] >= max(high, 0.0) - 1e-6 * step
    assert 0.0 in ticks
    assert len(ticks) <= max_ticks + 2
    assert ticks == sorted(set(ticks))


@settings(max_examples=300, deadline=None)
@given(months=st.integers(1, 240), width=st.integers(10, 300), start_month=st.integers(1, 12))
def test_month_ticks_never_overlap(months: int, width: int, start_month: int) -> None:
    labels = month_labels(months, 2023, start_month)
    positions, texts = month_ticks(labels, width)
    assert positions, "at least one tick"
    assert len(positions) == len(texts)
    assert positions == sorted(set(positions))
    assert all(0 <= p < months for p in positions)
    if months > 1:
        cells_per_month = (width - 1) / (months - 1)
        for (a, text), b in zip(zip(positions, texts, strict=False), positions[1:], strict=False):
            assert (b - a) * cells_per_month >= len(text) + 2
    for position, text in zip(positions, texts, strict=True):
        assert labels[position].startswith(text)


def test_month_ticks_prefer_round_months() -> None:
    labels = month_labels(48)  # 2023-09 .. 2027-08
    _, texts = month_ticks(labels, 113)
    assert texts == ["2024-01", "2024-07", "2025-01", "2025-07", "2026-01", "2026-07", "2027-01", "2027-07"]
    _, texts = month_ticks(labels, 40)
    assert texts == ["2024", "2025", "2026", "2027"]


def test_tick_labels_take_more_digits_when_short_ones_collide() -> None:
    assert tick_labels([0.0, 500_000.0, 1_000_000.0]) == ["0", "500k", "1M"]
    assert tick_labels([1_000_000.0, 1_000_100.0]) == ["1e+06", "1.0001e+06"]
