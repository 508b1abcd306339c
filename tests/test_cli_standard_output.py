"""`--output -` sends every command's output to standard output; bytes never go to a terminal (subprocesses)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal


def ammoflow(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ammoflow", *args], capture_output=True, cwd=cwd, timeout=120)


def ammoflow_on_a_terminal(*args: str, cwd: Path) -> tuple[int, bytes, bytes]:
    """Run with standard output a terminal (a pseudo-terminal), as a user at a prompt does."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "ammoflow", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=cwd,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
        return process.returncode, shown, process.stderr
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)


@pytest.mark.parametrize(
    "args",
    [
        ("run", "baseline", "--months", "3", "--format", "parquet"),
        ("run", "baseline", "--months", "3", "--format", "parquet", "-o", "-"),
        ("sweep", "baseline", "--runs", "5", "--months", "3", "--format", "parquet", "-o", "-"),
        ("sweep", "baseline", "--runs", "5", "--months", "3", "--all-runs", "--format", "parquet", "-o", "-"),
    ],
)
def test_parquet_is_not_written_to_a_terminal(args: tuple[str, ...], tmp_path: Path) -> None:
    status, shown, errors = ammoflow_on_a_terminal(*args, cwd=tmp_path)
    assert status == 1
    assert b"PAR1" not in shown
    assert errors.decode().splitlines() == [
        "ammoflow: parquet is binary and would garble the terminal; "
        "send it to a file (--output NAME.parquet) or into a pipe (--output - | ...)"
    ]
    assert os.listdir(tmp_path) == []


def test_text_formats_still_go_to_a_terminal(tmp_path: Path) -> None:
    status, shown, errors = ammoflow_on_a_terminal("run", "baseline", "--months", "2", "-o", "-", cwd=tmp_path)
    assert status == 0, errors
    assert shown.decode().replace("\r\n", "\n").startswith("month,days,")


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (("run", "baseline", "--months", "3", "-o", "-", "--format", "json"), b"["),
        (("run", "baseline", "--months", "3", "-o", "-", "--format", "table"), b""),
        (("sweep", "baseline", "--runs", "5", "--months", "3", "-o", "-"), b"month,column,"),
        (("sweep", "baseline", "--runs", "5", "--months", "3", "--all-runs", "-o", "-"), b"run,month,"),
        (("fit", "baseline", "--parameter", "containers_per_month", "-o", "-"), b""),
    ],
)
def test_every_command_with_output_writes_to_standard_output_with_a_dash(
    args: tuple[str, ...], starts: bytes, tmp_path: Path
) -> None:
    result = ammoflow(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(starts) and result.stdout.strip()
    assert b"wrote" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_parquet_through_a_pipe_reads_back_as_the_projection(tmp_path: Path) -> None:
    piped = ammoflow("run", "baseline", "--months", "3", "--format", "parquet", "-o", "-", cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    as_csv = ammoflow("run", "baseline", "--months", "3", "--format", "csv", "-o", "-", cwd=tmp_path)
    # CSV rounds away float dust; Parquet keeps every bit: equal to that rounding.
    assert_frame_equal(pl.read_parquet(io.BytesIO(piped.stdout)), pl.read_csv(io.BytesIO(as_csv.stdout)), rel_tol=1e-9)
