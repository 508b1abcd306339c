"""Writing goes where the user meant: through symbolic links, into FIFOs and devices, never half a file."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ammoflow.scenarios.files.safe_write import LEFTOVER_AGE, TEMPORARY_MARK, remove_leftovers, writing
from ammoflow.scenarios.files.scenario_toml import read_scenario, write_atomic, write_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.scenario import baseline

SCENARIO = 'name = "Mine"  # a comment\n[parameters]\nru_fire_rate = 20000\n'


def hidden_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


# -- symbolic links ---------------------------------------------------------------------------


def test_saving_through_a_symbolic_link_changes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "mine.toml"
    target.write_text(SCENARIO)
    link = tmp_path / "link.toml"
    link.symlink_to(target)

    write_scenario(read_scenario(link).with_value("ru_fire_rate", 31_000), link)

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert read_scenario(target).values["ru_fire_rate"] == 31_000
    assert "# a comment" in target.read_text(), "the target's comments are kept"
    assert hidden_files(tmp_path) == [] and hidden_files(tmp_path / "real") == []


def test_a_symbolic_link_to_nowhere_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")

    write_atomic(link, "a,b\n")

    assert link.is_symlink()
    assert (tmp_path / "made.csv").read_text() == "a,b\n"


def test_symbolic_links_in_a_loop_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")

    with pytest.raises(ScenarioError) as excinfo:
        write_atomic(tmp_path / "a", "x")

    assert excinfo.value.lines() == [f"{tmp_path / 'a'}: cannot write: is a symbolic link that leads back to itself"]
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


# -- FIFOs and devices ------------------------------------------------------------------------


def test_a_fifo_is_written_to_its_reader_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = b"x" * 300_000  # more than a pipe holds: the writer waits for the reader to catch up
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the write starts
    received = bytearray()
    written = threading.Event()

    def read() -> None:
        os.set_blocking(reader, True)
        while len(received) < len(data):
            chunk = os.read(reader, 65536)
            if not chunk and written.is_set():
                break
            if not chunk:  # the writer has not opened the FIFO yet
                written.wait(0.01)
            received.extend(chunk)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        write_atomic(fifo, data)
    finally:
        written.set()
        thread.join()
        os.close(reader)

    assert bytes(received) == data
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_fifo_nobody_reads_is_reported_at_once_and_left_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    with pytest.raises(ScenarioError) as excinfo:
        write_atomic(fifo, "month,value\n")

    assert excinfo.value.lines() == [f"{fifo}: cannot write: it is a FIFO and no program is reading from it"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_character_device_is_written_in_place(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device's numbers on Linux
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")

    write_atomic(device, "month,value\n")

    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert os.listdir(tmp_path) == ["null"]


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/null")

    write_atomic(link, "month,value\n")
    write_atomic("/dev/null", "month,value\n")

    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


# -- replacing a regular file -------------------------------------------------------------------


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    path.chmod(0o604)

    write_scenario(read_scenario(path).with_value("ru_fire_rate", 31_000), path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o604


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_replaced_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "theirs.toml"
    path.write_text(SCENARIO)
    os.chown(path, 4321, 8765)

    write_scenario(read_scenario(path).with_value("ru_fire_rate", 31_000), path)

    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 8765)


def test_a_hard_link_keeps_the_old_content_as_the_readme_says(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    other = tmp_path / "other.toml"
    os.link(path, other)

    write_scenario(read_scenario(path).with_value("ru_fire_rate", 31_000), path)

    assert read_scenario(path).values["ru_fire_rate"] == 31_000
    assert other.read_text() == SCENARIO


def test_a_file_written_in_pieces_changes_only_when_the_last_piece_is_in(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("old\n")

    with pytest.raises(RuntimeError), writing(path) as handle:
        handle.write(b"month,run\n")
        raise RuntimeError("the computation failed half way")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["runs.csv"]

    with writing(path) as handle:
        for run in range(3):
            handle.write(f"2024-01,{run}\n".encode())
    assert path.read_text() == "2024-01,0\n2024-01,1\n2024-01,2\n"


def test_a_failed_write_to_a_new_file_does_not_claim_a_file_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    path = tmp_path / "new.csv"

    with pytest.raises(ScenarioError) as excinfo:
        write_atomic(path, "a,b\n")

    assert excinfo.value.lines() == [f"{path}: cannot write: No space left on device; no file was created"]
    assert os.listdir(tmp_path) == []


def test_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        write_atomic(tmp_path, "a,b\n")
    assert excinfo.value.lines() == [f"{tmp_path}: cannot write: is a folder, not a file"]


def test_a_folder_without_permission_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refused(path: object, flags: int, *args: object) -> int:
        if TEMPORARY_MARK in str(path):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refused)
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)

    with pytest.raises(ScenarioError) as excinfo:
        write_atomic(path, "a,b\n")

    assert excinfo.value.lines() == [f"{path}: cannot write here: Permission denied; the file was left as it was"]
    assert path.read_text() == SCENARIO


# -- temporary files left by a killed save ---------------------------------------------------------


def dead_process() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_temporary_files_a_killed_save_left_are_removed_by_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    of_a_dead_save = tmp_path / f".mine.toml{TEMPORARY_MARK}{dead_process()}-0123abcd"
    of_a_running_save = tmp_path / f".mine.toml{TEMPORARY_MARK}{os.getpid()}-89abcdef"
    of_an_old_save = tmp_path / f".mine.toml{TEMPORARY_MARK}{os.getpid()}-00000000"
    for leftover in (of_a_dead_save, of_a_running_save, of_an_old_save):
        leftover.write_text("half a scen")
    old = path.stat().st_mtime - LEFTOVER_AGE - 60
    os.utime(of_an_old_save, (old, old))
    not_ours = [
        tmp_path / f".mine.toml{TEMPORARY_MARK}notes",  # named like ours, but not as we name them
        tmp_path / f".other.toml{TEMPORARY_MARK}{dead_process()}-0123abcd",  # of another file
        tmp_path / ".mine.toml.swp",
    ]
    for path_not_ours in not_ours:
        path_not_ours.write_text("keep me")
    a_link = tmp_path / f".mine.toml{TEMPORARY_MARK}{dead_process()}-fedcba98"
    a_link.symlink_to(tmp_path / ".mine.toml.swp")

    write_scenario(read_scenario(path).with_value("ru_fire_rate", 31_000), path)

    assert not of_a_dead_save.exists() and not of_an_old_save.exists()
    assert of_a_running_save.exists(), "a save still under way is not disturbed"
    assert all(p.read_text() == "keep me" for p in not_ours)
    assert a_link.is_symlink()
    assert read_scenario(path).values["ru_fire_rate"] == 31_000


KILLED_HALF_WAY = """
import sys
from ammoflow.scenarios.files.safe_write import writing
with writing(sys.argv[1]) as handle:
    handle.write(b"half a scen")
    handle.flush()
    print("writing", flush=True)
    sys.stdin.read()  # killed here
"""


def test_a_save_killed_half_way_leaves_the_file_as_it_was_and_the_next_save_tidies_up(tmp_path: Path) -> None:
    import signal

    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_HALF_WAY, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdin.close()  # type: ignore[union-attr]
    child.stdout.close()
    assert path.read_text() == SCENARIO
    [leftover] = hidden_files(tmp_path)
    assert TEMPORARY_MARK in leftover

    write_scenario(read_scenario(path).with_value("ru_fire_rate", 31_000), path)

    assert hidden_files(tmp_path) == []
    assert read_scenario(path).values["ru_fire_rate"] == 31_000


def test_the_age_of_a_leftover_is_judged_by_the_clock_given(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    ours = tmp_path / f".mine.toml{TEMPORARY_MARK}{os.getpid()}-0123abcd"
    ours.write_text("half")
    made = ours.stat().st_mtime

    assert remove_leftovers(target, now=made + LEFTOVER_AGE - 1) == []
    assert remove_leftovers(target, now=made + LEFTOVER_AGE + 1) == [ours]
    assert not ours.exists()


def test_a_save_leaves_no_temporary_file_and_the_usual_name(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 250 + ".toml")  # a long name still leaves room for the temporary's
    write_scenario(baseline(), path)
    assert read_scenario(path) == baseline()
    assert hidden_files(tmp_path) == []
