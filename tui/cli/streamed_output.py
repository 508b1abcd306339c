"""Writing a file too large to hold in memory: pieces one after another, the path replaced at the end.

``sweep --all-runs`` at 100,000 runs of 240 months is 24 million rows, gigabytes of CSV: it
cannot be built whole and handed to a writer, as smaller outputs are. Here each piece (a frame
of whole runs) goes to the file as soon as it is made. A regular file (or a new one) is written
beside the path and renamed over it only when complete, so an interrupted sweep leaves the old
file as it was; a FIFO or a device (``/dev/null``) is written straight, ``-`` is standard output:
the same rules as every other save (:mod:`ammoflow.scenarios.files.safe_write`).
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import polars as pl

from ammoflow.scenarios.files.safe_write import writing


def write_frames(path: Path, frames: Iterable[pl.DataFrame], output_format: str) -> None:
    """Write ``frames`` (all of one schema) to ``path`` as one CSV (one header) or one Parquet file.

    Only one frame is held at a time: CSV pieces are appended as they come; Parquet goes
    through Polars' streaming sink, which writes row groups as the pieces arrive.
    """
    pieces = iter(frames)
    first = next(pieces)
    with replacing(path) as handle:
        if output_format == "csv":
            for number, frame in enumerate(itertools.chain([first], pieces)):
                frame.write_csv(handle, include_header=number == 0)
        else:
            _lazy(first, pieces).sink_parquet(handle)


def _lazy(first: pl.DataFrame, rest: Iterator[pl.DataFrame]) -> pl.LazyFrame:
    """The pieces as one lazy frame that Polars pulls a piece at a time."""
    from polars.io.plugins import register_io_source

    def source(
        with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None, batch_size: int | None
    ) -> Iterator[pl.DataFrame]:
        for frame in itertools.chain([first], rest):
            if with_columns is not None:
                frame = frame.select(with_columns)
            yield frame if predicate is None else frame.filter(predicate)

    return register_io_source(source, schema=first.schema)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose content becomes ``path`` once the ``with`` block ends without error.

    ``-`` is standard output; anything else is written as every save is
    (:func:`ammoflow.scenarios.files.safe_write.writing`), and a failure is a ScenarioError naming the path.
    """
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with writing(path) as handle:
        yield handle
