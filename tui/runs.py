"""Named runs kept for comparison: each a scenario projected once, when it was added.

A run is frozen: moving a slider afterwards changes the scenario being explored, never a
kept run, so runs are never projected again. The explorer overlays them on the charts and
sets them beside the scenario in the figures table; :func:`write_comparison` exports them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import attrs
import polars as pl

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files.safe_write import write_atomic
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import FIGURE_KEYS, KeyFigures, key_figures
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible

ENDINGS = (".csv", ".parquet")
LONGEST_LABEL = 40


@attrs.frozen(eq=False)
class Run:
    """A scenario as it was when kept, under a name, with its projection and key figures."""

    label: str
    scenario: Scenario
    frame: pl.DataFrame
    figures: KeyFigures


def project_run(
    label: str, scenario: Scenario, observations: Sequence[Observation] = (), as_of: int | None = None
) -> Run:
    """Project ``scenario`` once, for keeping (run off the key path: in the explorer's Job)."""
    frame = project(scenario)
    return Run(label, scenario, frame, key_figures(frame, scenario, observations, as_of))


def clean_label(text: str) -> str:
    """A label as typed, made one visible line; ScenarioError when nothing is left."""
    label = " ".join(visible(text).split())[:LONGEST_LABEL]
    if not label:
        raise ScenarioError("A run needs a name.")
    return label


@attrs.define
class Runs:
    """The kept runs, in the order they were added; every label is different."""

    items: list[Run] = attrs.field(factory=list)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def labels(self) -> list[str]:
        return [run.label for run in self.items]

    def free_label(self, wanted: str, taken: Sequence[str] = ()) -> str:
        """``wanted``, or ``wanted (2)``, ``(3)``... when a run (or one of ``taken``) has it already."""
        used = set(self.labels) | set(taken)
        label, number = wanted, 2
        while label in used:
            label, number = f"{wanted} ({number})", number + 1
        return label

    def add(self, run: Run, taken: Sequence[str] = ()) -> Run:
        """Keep ``run``; under a free label if its own is taken. Returns the run as kept."""
        kept = attrs.evolve(run, label=self.free_label(run.label, taken))
        self.items.append(kept)
        return kept

    def remove(self, label: str) -> Run:
        run = self.get(label)
        self.items.remove(run)
        return run

    def rename(self, label: str, new: str, taken: Sequence[str] = ()) -> Run:
        """Give a run another name; ScenarioError when that name is empty or taken."""
        run = self.get(label)
        new = clean_label(new)
        if new != label and (new in self.labels or new in taken):
            raise ScenarioError(f'A run is already called "{new}".')
        renamed = attrs.evolve(run, label=new)
        self.items[self.items.index(run)] = renamed
        return renamed

    def get(self, label: str) -> Run:
        for run in self.items:
            if run.label == label:
                return run
        raise KeyError(label)


def comparison_frame(runs: Sequence[Run]) -> pl.DataFrame:
    """One row per run and month: ``run`` first, then the projection's columns (docs/model.md)."""
    return pl.concat(
        [run.frame.select(pl.lit(run.label).alias("run"), pl.all()) for run in runs], how="diagonal_relaxed"
    )


def figures_frame(runs: Sequence[Run]) -> pl.DataFrame:
    """One row per run: its key figures (months as YYYY-MM) and the month the "as of" ones are read at."""
    rows = [
        {"run": run.label, "as_of": run.figures.as_of, **{k: run.figures.value(k) for k in FIGURE_KEYS}} for run in runs
    ]
    return pl.DataFrame(rows, infer_schema_length=None)


def figures_path(path: Path) -> Path:
    """Where the key figures go beside the months: ``compare.csv`` -> ``compare-figures.csv``."""
    return path.with_name(f"{path.stem}-figures{path.suffix}")


def write_comparison(runs: Sequence[Run], path: Path) -> tuple[Path, Path]:
    """The runs month by month to ``path`` and their key figures beside it, as CSV or Parquet by its ending."""
    ending = path.suffix.lower()
    if ending not in ENDINGS:
        raise ScenarioError(f"{path}: write a comparison as .csv or .parquet (not {ending or 'no ending'}).")
    written = []
    for frame, target in ((comparison_frame(runs), path), (figures_frame(runs), figures_path(path))):
        if ending == ".csv":
            write_atomic(target, frame.write_csv())
        else:
            buffer = io.BytesIO()
            frame.write_parquet(buffer)
            write_atomic(target, buffer.getvalue())
        written.append(target)
    return written[0], written[1]
