"""The projection as a file: CSV for reading anywhere, Parquet for analysis tools; the name's ending picks which."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import polars.selectors as cs

from ammoflow.scenarios.model.text import excerpt

EXPORT_FORMATS = {".csv": "csv", ".parquet": "parquet"}
"""The endings a projection is exported under, and the format each names."""
EXPORT_NAMES = {"csv": "CSV", "parquet": "Parquet"}


def without_dust(frame: pl.DataFrame) -> pl.DataFrame:
    """Float columns to six decimals: hides floating-point dust (410740.00000000006), loses nothing real."""
    return frame.with_columns(cs.float().round(6))


def export_format(path: Path) -> str:
    """The format ``path``'s ending names.

    An ending that names no format this writes is refused, never guessed: a file called
    ``out.xlsx`` holding CSV would mislead whoever opens it (as ``ammoflow run --output``).

    Raises:
        ValueError: With a message naming the endings that work.
    """
    ending = path.suffix.lower()
    if ending in EXPORT_FORMATS:
        return EXPORT_FORMATS[ending]
    endings = " or ".join(EXPORT_FORMATS)
    what = f"{ending} is not a format the projection is exported as" if ending else "the name has no ending to say"
    raise ValueError(f"{excerpt(path.name, 60)}: {what}; end the name with {endings}")


def projection_bytes(frame: pl.DataFrame, output_format: str) -> bytes:
    """``frame`` written in ``output_format`` ("csv" or "parquet"), as ``ammoflow run`` writes it."""
    if output_format == "csv":
        return without_dust(frame).write_csv().encode()
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()
