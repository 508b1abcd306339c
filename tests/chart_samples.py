"""Chart data for the chart's tests, with and without an app: monthly labels and a sample of every kind."""

from __future__ import annotations

from ammoflow.tui.render.chart_data import ChartData, Series


def month_labels(count: int, start_year: int = 2023, start_month: int = 9) -> list[str]:
    labels = []
    for index in range(count):
        months = start_month - 1 + index
        labels.append(f"{start_year + months // 12}-{months % 12 + 1:02d}")
    return labels


def sample(scale: float = 1.0, months: int = 48) -> ChartData:
    """Four series of every drawn kind over ``months`` months."""
    return ChartData(
        title="Russian stockpile",
        y_unit="rounds",
        x_labels=month_labels(months),
        series=[
            Series("Projected", [scale * 1e6 * i for i in range(months)]),
            Series("Pinned", [0.6e6 * i for i in range(months)], kind="baseline"),
            Series(
                "Observed",
                [0.5e6 * i for i in range(0, months, 6)],
                kind="markers",
                x=[float(i) + 0.5 for i in range(0, months, 6)],
            ),
            Series(
                "Range",
                [0.2e6 * i for i in range(months)],
                kind="band",
                y_high=[0.4e6 * i for i in range(months)],
            ),
        ],
    )
