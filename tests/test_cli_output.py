"""`--output` writes where the user meant, as the real program does it (subprocesses)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ammoflow.scenarios.files.scenario_toml import parse_scenario, read_scenario
from ammoflow.scenarios.model.text import excerpt


def ammoflow(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ammoflow", *args], capture_output=True, cwd=cwd, timeout=120)


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single `ammoflow: ...` line a refused command prints, checked to be just that."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ammoflow: "), lines
    return lines[0]


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    result = ammoflow("run", "baseline", "--months", "3", "--output", "-", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("month,days,")
    assert len(result.stdout.decode().splitlines()) == 4
    assert os.listdir(tmp_path) == []


def test_parquet_to_standard_output(tmp_path: Path) -> None:
    result = ammoflow(
        "sweep", "baseline", "--runs", "5", "--months", "3", "--format", "parquet", "-o", "-", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"PAR1") and result.stdout.endswith(b"PAR1")
    assert os.listdir(tmp_path) == []


def test_a_fitted_scenario_on_standard_output_is_only_the_scenario(tmp_path: Path) -> None:
    result = ammoflow("fit", "baseline", "--parameter", "containers_per_month", "--output", "-", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    fitted = parse_scenario(result.stdout.decode(), "stdout")  # the report did not land inside it
    assert fitted.values["containers_per_month"] != 1_100
    assert "Observations beside the fit" in result.stderr.decode()
    assert os.listdir(tmp_path) == []


def test_force_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    (tmp_path / "link.csv").symlink_to("real.csv")

    result = ammoflow("run", "baseline", "--months", "2", "--output", "link.csv", "--force", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert target.read_text().startswith("month,days,")


def test_a_symbolic_link_to_nowhere_is_not_written_without_force(tmp_path: Path) -> None:
    (tmp_path / "link.csv").symlink_to("missing.csv")

    refused = ammoflow("run", "baseline", "--output", "link.csv", cwd=tmp_path)
    forced = ammoflow("run", "baseline", "--months", "2", "--output", "link.csv", "--force", cwd=tmp_path)

    assert one_error_line(refused) == "ammoflow: link.csv exists; add --force to overwrite it"
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert (tmp_path / "missing.csv").read_text().startswith("month,days,")


def test_a_link_to_dev_null_leaves_the_device_alone(tmp_path: Path) -> None:
    (tmp_path / "out.csv").symlink_to("/dev/null")

    through_link = ammoflow("run", "baseline", "--output", "out.csv", "--force", cwd=tmp_path)
    direct = ammoflow("run", "baseline", "--output", "/dev/null", "--force", cwd=tmp_path)

    assert through_link.returncode == 0 and direct.returncode == 0, (through_link.stderr, direct.stderr)
    assert (tmp_path / "out.csv").is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received = bytearray()
    finished = threading.Event()

    def read() -> None:
        os.set_blocking(reader, True)
        while True:
            chunk = os.read(reader, 65536)
            if not chunk and finished.is_set():
                return
            if not chunk:
                finished.wait(0.01)  # the program has not opened the FIFO yet, or has closed it
            received.extend(chunk)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        result = ammoflow("run", "baseline", "--output", "pipe", "--force", "--format", "csv", cwd=tmp_path)
    finally:
        finished.set()
        thread.join()
        os.close(reader)

    assert result.returncode == 0, result.stderr
    assert received.decode().startswith("month,days,") and received.count(b"\n") == 49
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_one_line_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")

    result = ammoflow("run", "baseline", "--output", "pipe", "--force", cwd=tmp_path)

    assert one_error_line(result) == "ammoflow: pipe: cannot write: it is a FIFO and no program is reading from it"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("folder", "--output folder: is a folder, not a file"),
        ("nowhere/out.csv", "--output nowhere/out.csv: the folder {tmp}/nowhere does not exist"),
        ("x" * 300 + ".csv", "--output {long}: cannot write: File name too long"),
    ],
    ids=["folder", "missing folder", "name too long"],
)
@pytest.mark.parametrize("command", ["run", "sweep", "fit"])
def test_an_output_that_cannot_be_written_is_one_line(tmp_path: Path, output: str, message: str, command: str) -> None:
    (tmp_path / "folder").mkdir()
    extra = {"run": [], "sweep": ["--runs", "5"], "fit": ["--parameter", "containers_per_month"]}[command]

    result = ammoflow(command, "baseline", *extra, "--output", output, "--force", cwd=tmp_path)

    expected = message.format(tmp=tmp_path.resolve(), long=excerpt("x" * 300 + ".csv", 80))
    assert one_error_line(result) == f"ammoflow: {expected}"
    assert os.listdir(tmp_path) == ["folder"] and os.listdir(tmp_path / "folder") == []


def test_fit_output_writes_through_a_symbolic_link_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "fitted.toml"
    target.write_text('name = "old"\n')
    target.chmod(0o640)
    (tmp_path / "link.toml").symlink_to("fitted.toml")

    result = ammoflow(
        "fit", "baseline", "--parameter", "containers_per_month", "-o", "link.toml", "--force", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.toml").is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert read_scenario(target).values["containers_per_month"] != 1100


def test_dev_stdout_appended_by_the_shell_keeps_what_was_there(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("precious log line\n")
    with log.open("ab") as appending:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ammoflow",
                "run",
                "baseline",
                "--months",
                "2",
                "--format",
                "csv",
                "-o",
                "/dev/stdout",
            ],
            stdout=appending,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "precious log line" and lines[1].startswith("month,days,") and len(lines) == 4
    assert sorted(os.listdir(tmp_path)) == ["log.txt"]


def test_dev_stdout_into_a_pipe_is_written(tmp_path: Path) -> None:
    result = ammoflow("run", "baseline", "--months", "2", "--format", "csv", "-o", "/dev/stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("month,days,")


@pytest.mark.skipif(os.geteuid() != 0, reason="making a link owned by another user needs root")
def test_a_link_planted_by_another_user_in_a_shared_folder_is_not_followed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    planted = shared / "report.csv"
    planted.symlink_to(victim)
    os.lchown(planted, 65534, 65534)  # nobody's link

    result = ammoflow("run", "baseline", "-o", str(planted), "--force", cwd=tmp_path)

    assert "symbolic link another user made in a shared folder" in one_error_line(result)
    assert victim.read_text() == "keep me\n"
