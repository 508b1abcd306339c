"""Writing a file a piece at a time: the whole file or the old one, and where the path leads."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.tui.cli.streamed_output import write_frames


def pieces(count: int, fail_after: int | None = None) -> Iterator[pl.DataFrame]:
    for number in range(count):
        if number == fail_after:
            raise RuntimeError("the projection stopped")
        yield pl.DataFrame({"run": [number, number], "value": [number * 1.5, number * 2.5]})


@pytest.mark.parametrize("output_format", ["csv", "parquet"])
def test_pieces_make_one_file_with_one_header(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / f"runs.{output_format}"
    write_frames(path, pieces(5), output_format)
    whole = pl.concat(list(pieces(5)))
    read = pl.read_csv(path) if output_format == "csv" else pl.read_parquet(path)
    assert read.equals(whole)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("output_format", ["csv", "parquet"])
def test_a_failure_half_way_leaves_the_old_file_and_nothing_beside_it(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "runs.out"
    path.write_text("the old content\n")
    with pytest.raises(RuntimeError, match="stopped"):
        write_frames(path, pieces(5, fail_after=3), output_format)
    assert path.read_text() == "the old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["runs.out"]


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_frames(link, pieces(2), "csv")
    assert link.is_symlink()
    assert target.read_text().startswith("run,value\n")


def test_a_device_is_written_to_not_replaced() -> None:
    write_frames(Path(os.devnull), pieces(3), "csv")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_fifo_nobody_reads_is_one_clear_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="no program is reading"):
        write_frames(fifo, pieces(1), "csv")
