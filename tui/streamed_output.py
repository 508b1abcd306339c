"""Writing a file too large to hold in memory: pieces one after another, the path replaced at the end.

``sweep --all-runs`` at 100,000 runs of 240 months is 24 million rows, gigabytes of CSV: it
cannot be built whole and handed to a writer, as smaller outputs are. Here each piece (a frame
of whole runs) goes to the file as soon as it is made. A regular file (or a new one) is written
beside the path and renamed over it only when complete, so an interrupted sweep leaves the old
file as it was; a FIFO or a device (``/dev/null``) is written straight, ``-`` is standard output.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import polars as pl

from scenarios.errors import ScenarioError


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

    Failures are a :class:`ScenarioError` naming the path, saying what became of the file.
    """
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(path))  # a symbolic link is written through to its target
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise ScenarioError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    if existing is not None and (stat.S_ISFIFO(existing.st_mode) or stat.S_ISCHR(existing.st_mode)):
        with _straight(target, str(path)) as handle:
            yield handle
        return
    outcome = "no file was created" if existing is None else "the file was left as it was"
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ScenarioError(f"cannot write here: {exc.strerror or exc}; {outcome}", str(path)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ScenarioError(f"cannot write: {exc.strerror or exc}; {outcome}", str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _straight(target: Path, shown: str) -> Iterator[IO[bytes]]:
    """A FIFO or a device, opened for writing; a FIFO nobody reads is an error now, not a wait for ever."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise ScenarioError("cannot write: it is a FIFO and no program is reading from it", shown) from None
        raise ScenarioError(f"cannot write: {exc.strerror or exc}", shown) from None
    fcntl.fcntl(descriptor, fcntl.F_SETFL, fcntl.fcntl(descriptor, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
    except OSError as exc:
        raise ScenarioError(f"cannot write: {exc.strerror or exc}", shown) from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
