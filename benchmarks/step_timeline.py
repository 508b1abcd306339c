"""Where a key press's time goes in the real explorer: run in place of the ``ammoflow`` command.

    python benchmarks/step_timeline.py OUT [ammoflow arguments]

``benchmarks/tui_latency.py --profile`` runs it, with the measured build's own interpreter,
in the terminal it measures. It starts the explorer as the command would, with clocks around
the parts of a step: the key read, the edit, the projection and the bands (in their
threads), the drawing (chart, figures), Textual's paint of the screen and the write to the
terminal. Each key's timeline (ms from the key) is appended to OUT as a JSON line when the
next key comes, and :func:`summary` turns them into medians. The clocks cost a few
microseconds each; the parts they wrap run as they do in the command.
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# name of the part -> (module, class, method): the parts of a step, wrapped in clocks.
PARTS = {
    "edit": ("ammoflow.tui.explorer_drawing", "ExplorerDrawing", "_request_compute"),
    "projection": ("ammoflow.tui.explorer_drawing", "ExplorerDrawing", "_project"),
    "bands": ("ammoflow.tui.panels.bands", "BandsStatus", "_simulate"),
    "draw": ("ammoflow.tui.explorer_drawing", "ExplorerDrawing", "_draw"),
    "chart": ("ammoflow.tui.widgets.chart", "Chart", "show"),
    "figures": ("ammoflow.tui.panels.figures", "KeyFiguresView", "show"),
    "paint": ("textual.screen", "Screen", "_compositor_refresh"),
    "layout": ("textual.screen", "Screen", "_refresh_layout"),
    "write": ("textual.app", "App", "_display"),
    "ahead": ("ammoflow.tui.explorer_ahead", "ExplorerAhead", "_work_ahead"),  # a build without it: left out
}


class Timeline:
    """The events of the current key: (ms since the key, part, "start" or "end")."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.key_at: float | None = None
        self.key = ""
        self.bands_on = False
        self.events: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()

    def mark(self, part: str, edge: str) -> None:
        if self.key_at is not None:
            with self.lock:
                self.events.append(((time.perf_counter() - self.key_at) * 1000, part, edge))

    def next_key(self, key: str) -> None:
        with self.lock:
            if self.key_at is not None and self.events:
                record = {"key": self.key, "bands": self.bands_on, "events": self.events}
                with self.out.open("a", encoding="utf-8") as file:
                    file.write(json.dumps(record) + "\n")
            self.key_at, self.key, self.events = time.perf_counter(), key, []


def clocked(timeline: Timeline, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        timeline.mark(part, "start")
        try:
            return function(*args, **kwargs)
        finally:
            timeline.mark(part, "end")

    return timed


def install(timeline: Timeline) -> None:
    import importlib

    import textual.driver
    from textual import events

    for part, (module, owner, name) in PARTS.items():
        try:
            cls = getattr(importlib.import_module(module), owner)
        except ImportError:
            continue  # an older build, without that part
        setattr(cls, name, clocked(timeline, part, getattr(cls, name)))
    read = textual.driver.Driver.process_message

    def process_message(driver: Any, message: Any) -> None:
        if isinstance(message, events.Key):
            timeline.next_key(message.key)
        read(driver, message)

    textual.driver.Driver.process_message = process_message  # type: ignore[method-assign]
    drawing = importlib.import_module("ammoflow.tui.explorer_drawing").ExplorerDrawing
    draw = drawing._draw

    def draw_noting_bands(screen: Any) -> None:
        timeline.bands_on = bool(screen.fans_on)
        draw(screen)

    drawing._draw = draw_noting_bands
    if os.environ.get("AMMOFLOW_BENCH_UNKNOWN"):  # tui_latency.py --unknown: no step worked out ahead
        importlib.import_module("ammoflow.tui.explorer").ExplorerScreen.looks_ahead = False


def main() -> None:
    # As the command does before it imports Textual (tui/cli/main.py): the clocks import it first.
    os.environ.setdefault("TEXTUAL_FPS", "500")
    out = Path(sys.argv[1])
    sys.argv[1:] = sys.argv[2:]
    timeline = Timeline(out)
    install(timeline)
    from ammoflow.tui.cli.main import main as command

    try:
        command()
    finally:
        timeline.next_key("")


# -- reading the timelines -------------------------------------------------------------


def _spans(events: Iterable[list[Any]], part: str) -> list[tuple[float, float]]:
    """(start, end) of every complete run of ``part``, outermost only (a part may call itself)."""
    spans, depth, began = [], 0, 0.0
    for at, name, edge in events:
        if name != part:
            continue
        if edge == "start":
            depth += 1
            if depth == 1:
                began = at
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((began, at))
    return spans


def step_parts(record: dict[str, Any]) -> dict[str, float] | None:
    """The parts of one key's step, in ms: when each ended (from the key) or how long it took."""
    events = record["events"]
    draws, paints = _spans(events, "draw"), _spans(events, "paint")
    if not draws or not paints or not _spans(events, "edit"):
        return None  # not a step: a key that changed no value
    last_draw = draws[-1]
    after = [span for span in paints if span[0] >= last_draw[1]]
    if not after:
        return None
    paint = after[0]
    ahead = _spans(events, "ahead")
    # The look-ahead's projections are work for the next key, not this one's.
    projections = [s for s in _spans(events, "projection") if not any(a <= s[0] and s[1] <= b for a, b in ahead)]
    parts = {
        "edit handled at": _spans(events, "edit")[0][0],
        "answered from known answers (1 = all)": 0.0 if projections else 1.0,
        "projection, ms": sum(end - start for start, end in projections),
        "projection done at": projections[-1][1] if projections else float("nan"),
        "bands, ms": sum(end - start for start, end in _spans(events, "bands")),
        "bands done at": _spans(events, "bands")[-1][1] if _spans(events, "bands") else float("nan"),
        "draw started at": last_draw[0],
        "draw, ms": last_draw[1] - last_draw[0],
        "  of which the chart, ms": sum(e - s for s, e in _spans(events, "chart") if s >= last_draw[0]),
        "  of which the figures, ms": sum(e - s for s, e in _spans(events, "figures") if s >= last_draw[0]),
        "wait for the paint, ms": paint[0] - last_draw[1],
        "paint, ms": paint[1] - paint[0],
        "paints before it (the slider's own)": float(len([span for span in paints if span[0] < last_draw[0]])),
        "paint time before it, ms": sum(end - start for start, end in paints if start < last_draw[0]),
        "layouts (whole screen)": float(len(_spans(events, "layout"))),
        "written at": paint[1],
        "look-ahead for the next key, ms (after it)": sum(end - start for start, end in ahead),
    }
    return parts


def summary(path: Path) -> list[str]:
    """Median of each part over the plain steps and over the steps with the bands on (the share of
    steps answered from known answers: a mean)."""
    steps: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        parts = step_parts(record)
        if parts is not None:
            steps[bool(record["bands"])].append(parts)
    plain, banded = steps[False], steps[True]
    if not plain and not banded:
        return ["no step recorded"]
    names = list((plain or banded)[0])
    lines = [f"{'where a step goes, median ms (from the key)':<44} {'plain':>8} {'bands':>8}"]
    for name in names:
        cells = []
        for found in (plain, banded):
            values = [parts[name] for parts in found if parts[name] == parts[name]]  # NaN: not in that step
            if not values:
                cells.append(f"{'-':>8}")
                continue
            middle = statistics.mean(values) if name.startswith("answered") else statistics.median(values)
            cells.append(f"{middle:8.1f}")
        lines.append(f"{name:<44} {cells[0]} {cells[1]}")
    lines.append(f"{'steps':<44} {len(plain):8d} {len(banded):8d}")
    return lines


if __name__ == "__main__":
    main()
