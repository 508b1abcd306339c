"""Draw hostile charts and tornados through the explorer's own layouts: ``python hostile_charts.py SEED COUNT``.

Run in a child process by ``test_hostile_charts.py``: a drawing plotext's kernel cannot make
ends the process. Each case is printed before it is drawn, so the last line names the one
that killed it; the cases are seeded, so it can be drawn again from its number.
"""

from __future__ import annotations

import math
import random
import sys

from ammoflow.scenarios.analysis.sensitivity import Bar, Tornado
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.render.chart_data import ChartData, Mark, Series
from ammoflow.tui.render.chart_layout import lay_out
from ammoflow.tui.render.plotext_canvas import Canvas
from ammoflow.tui.render.tornado_rows import tornado_rows


def value(rng: random.Random) -> float:
    """Gaps, infinities, zeros, ordinary numbers and magnitudes up to the float limit, either sign."""
    pick = rng.random()
    if pick < 0.05:
        return math.nan
    if pick < 0.08:
        return rng.choice([math.inf, -math.inf])
    if pick < 0.15:
        return 0.0
    if pick < 0.5:
        return rng.uniform(-10, 1000)
    return rng.choice([-1, 1]) * 10 ** rng.uniform(-300, 308)


def values(rng: random.Random, count: int) -> list[float]:
    """A constant series, one varying by a part in 1e12 (a range rounding cannot split), or any."""
    mode = rng.random()
    if mode < 0.3:
        return [value(rng)] * count
    if mode < 0.6:
        level = value(rng)
        return [level * (1 + rng.uniform(-1e-12, 1e-12)) for _ in range(count)]
    return [value(rng) for _ in range(count)]


def chart(rng: random.Random) -> ChartData:
    months = rng.randint(1, 240)
    series = []
    for _ in range(rng.randint(0, 5)):
        kind = rng.choice(["line", "markers", "baseline", "band"])
        count = rng.randint(1, 240)
        xs = None
        if kind == "markers" and rng.random() < 0.5:  # observations: dated anywhere
            xs = [rng.uniform(-300, 300) if rng.random() < 0.8 else value(rng) for _ in range(count)]
        high = values(rng, count) if kind == "band" else None
        series.append(Series("s", values(rng, count), kind=kind, x=xs, y_high=high, filled=rng.random() < 0.7))
    marks = [Mark("m", rng.choice([value(rng), rng.uniform(-5, 250)])) for _ in range(rng.randint(0, 2))]
    labels = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(months)]
    return ChartData("t", "u", labels, series, marks)


def main(seed: int, count: int) -> None:
    rng, canvas, scenario = random.Random(seed), Canvas(), baseline()
    for case in range(count):
        if rng.random() < 0.7:
            data, width, height = chart(rng), rng.randint(20, 250), rng.randint(5, 80)
            cursor = rng.choice([None, rng.randint(-5, 300)])
            print(case, "chart", width, height, cursor, flush=True)
            try:
                layout = lay_out(data, width, height, canvas, cursor)
            except ValueError:  # values spanning more than a float holds: the chart says it cannot be drawn
                continue
            assert len(layout.rows) == height and all(len(text) == width for text, _ in layout.rows)
        else:
            bars = tuple(Bar(f"k{i}", f"K{i}", 0, 1, value(rng), value(rng)) for i in range(rng.randint(1, 17)))
            base = value(rng) if rng.random() < 0.5 else rng.uniform(0, 100)
            width = rng.randint(10, 250)
            print(case, "tornado", width, flush=True)
            try:
                tornado_rows(Tornado("total_shortfall", base, bars), scenario, width, canvas)
            except ValueError:  # a base figure that is not a number: the panel says it cannot be drawn
                continue
    print("drawn", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
