"""Writing a file where the user meant it, never leaving half of it.

What is at the path the user names decides how it is written:

- nothing, or a regular file: a temporary file beside it is written, fsynced and renamed over
  it, so the path holds either all of its old content or all of the new. A replaced file keeps
  its mode and, where permitted, its owner and group. The rename gives the path a new inode, so
  another hard link to the old file keeps the old content.
- a symbolic link (even one whose target does not exist yet): followed to its target, which is
  written as above; the link stays a link.
- a FIFO or a character device (a terminal, ``/dev/null``): opened and written directly, never
  replaced. A FIFO that no program is reading is reported at once rather than waited on.
- a name for one of this program's own open descriptors (``/dev/stdout``, ``/dev/stderr``,
  ``/dev/fd/N``, ``/proc/self/fd/N``): written to that descriptor, as ``-`` is to standard output,
  so a shell's ``>> log`` keeps appending and a pipe is written, never renamed over or resolved.
- a folder, a block device or a socket: refused.
- a symbolic link in a folder anyone may write to (``/tmp``) that neither this user nor the
  folder's owner made: refused, as the kernel refuses to follow such links, so nobody can plant
  a link that turns a save into an overwrite of another file.

``write_atomic`` writes text or bytes at once; ``writing`` gives a file to write in pieces (a
large output streamed chunk by chunk), under the same rules.

Temporary files are named ``.NAME.ammoflow-tmp-PID-RANDOM``, so one left behind by a killed save
is recognisably ours; the next save to the same path removes it once its process is gone or it
is a few minutes old. Nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ammoflow.scenarios.model.errors import ScenarioError

TEMPORARY_MARK = ".ammoflow-tmp-"
LEFTOVER_AGE = 5 * 60  # seconds after which a temporary file of ours is a leftover, whoever made it
_NAME_IN_TEMPORARY = 100  # characters of the target's name kept in a temporary's name: long names still fit


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` as the module docstring describes.

    Raises a ScenarioError (one line, naming ``path``) when it cannot.
    """
    with writing(path) as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)


@contextlib.contextmanager
def writing(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file for ``path``'s new content, written in as many pieces as suits the caller.

    A regular file takes the new content only when the block ends without an exception;
    if it raises, the file is left as it was. A FIFO or a device is written as the block goes.
    An OSError while writing becomes a ScenarioError (one line, naming ``path``).
    """
    shown = str(path)
    descriptor = inherited_descriptor(path)
    if descriptor is not None:
        with _to_descriptor(descriptor, shown) as handle:
            yield handle
        return
    _refuse_planted_link(path, shown)
    target = Path(os.path.realpath(path))
    existing = _lstat(target, shown)
    if existing is None or stat.S_ISREG(existing.st_mode):
        with _replacing(target, existing, shown) as handle:
            yield handle
    elif stat.S_ISFIFO(existing.st_mode) or stat.S_ISCHR(existing.st_mode):
        with _in_place(target, shown) as handle:
            yield handle
    else:
        raise ScenarioError(f"cannot write: {_kind(existing.st_mode)}", shown)


def exists(path: str | Path) -> bool:
    """Whether anything is at ``path``, a symbolic link whose target is missing included."""
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


def output_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be written, found before any work is done; None when nothing is known against it."""
    if inherited_descriptor(path) is not None:
        return None
    try:
        _refuse_planted_link(path, str(path))
    except ScenarioError as exc:
        return exc.problems[0].message
    target = Path(os.path.realpath(path))
    try:
        existing = _lstat(target, str(path))
    except ScenarioError as exc:
        return exc.problems[0].message
    if existing is not None and not (
        stat.S_ISREG(existing.st_mode) or stat.S_ISFIFO(existing.st_mode) or stat.S_ISCHR(existing.st_mode)
    ):
        return _kind(existing.st_mode)
    if existing is None or stat.S_ISREG(existing.st_mode):
        folder = target.parent
        if not folder.is_dir():
            return f"the folder {folder} does not exist"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"no permission to write in {folder}"
    return None


def _lstat(target: Path, shown: str) -> os.stat_result | None:
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ScenarioError(f"cannot write: {target.parent} is not a folder", shown) from None
    except OSError as exc:
        raise ScenarioError(f"cannot write: {_reason(exc)}", shown) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISBLK(mode):
        return "is a block device (a disk); ammoflow does not write to disks directly"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISLNK(mode):  # what is left of a link after following it: links that lead round in a loop
        return "is a symbolic link that leads back to itself"
    return "is not a regular file"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# -- replacing a regular file ----------------------------------------------------------------


@contextlib.contextmanager
def _replacing(target: Path, existing: os.stat_result | None, shown: str) -> Iterator[BinaryIO]:
    folder = target.parent
    outcome = "the file was left as it was" if existing is not None else "no file was created"
    remove_leftovers(target)
    temporary = folder / f".{target.name[:_NAME_IN_TEMPORARY]}{TEMPORARY_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        descriptor = os.open(temporary, flags, 0o600)
    except FileNotFoundError:
        raise ScenarioError(f"cannot write here: the folder {folder} does not exist", shown) from None
    except NotADirectoryError:
        raise ScenarioError(f"cannot write here: {folder} is not a folder", shown) from None
    except OSError as exc:
        raise ScenarioError(f"cannot write here: {_reason(exc)}; {outcome}", shown) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(descriptor)
            if existing is not None:
                _keep_owner(descriptor, existing)
            os.fchmod(descriptor, stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask())
        now = _lstat(target, shown)
        if now is not None and not stat.S_ISREG(now.st_mode):
            raise ScenarioError(f"cannot write: it changed into something else while saving; {outcome}", shown)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ScenarioError(f"cannot write: {_reason(exc)}; {outcome}", shown) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _keep_owner(descriptor: int, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group, or as much of that as this user may."""
    for uid in (existing.st_uid, -1):
        try:
            os.fchown(descriptor, uid, existing.st_gid)
            return
        except OSError:
            continue


def _sync_folder(folder: Path) -> None:
    """Flush the folder so that the rename survives a crash; some systems cannot, which is harmless."""
    try:
        folder_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


def remove_leftovers(target: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files of ours for ``target`` left by a save that never finished.

    One is a leftover when the process named in it is gone, or it is older than LEFTOVER_AGE
    (process numbers are reused). Only regular files named as we name them and owned by this
    user are removed. Returns what was removed.
    """
    pattern = re.compile(re.escape(f".{target.name[:_NAME_IN_TEMPORARY]}{TEMPORARY_MARK}") + r"(\d+)-[0-9a-f]{8}")
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        candidate = target.parent / name
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            continue
        if _process_alive(int(match[1])) and now - info.st_mtime < LEFTOVER_AGE:
            continue
        with contextlib.suppress(OSError):
            os.unlink(candidate)
            removed.append(candidate)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- this program's own descriptors ----------------------------------------------------------------

_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_NAME = re.compile(rf"/(?:dev/fd|proc/self/fd|proc/{os.getpid()}/fd)/(\d+)")


def inherited_descriptor(path: str | Path) -> int | None:
    """The descriptor ``path`` names when it leads, link by link, to one of ours (``/dev/stdout``...)."""
    try:
        current = os.path.abspath(path)
    except ValueError:  # a NUL in the path
        return None
    for _ in range(40):  # the kernel's own limit on links followed
        if current in _STANDARD:
            return _STANDARD[current]
        match = _DESCRIPTOR_NAME.fullmatch(current)
        if match:
            return int(match.group(1))
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


@contextlib.contextmanager
def _to_descriptor(descriptor: int, shown: str) -> Iterator[BinaryIO]:
    """Write to an open descriptor of ours as it is: its offset and append mode are the caller's."""
    try:
        copy = os.dup(descriptor)
    except OSError:
        raise ScenarioError(f"cannot write: descriptor {descriptor} is not open", shown) from None
    try:
        with os.fdopen(copy, "wb") as handle:
            yield handle
    except BrokenPipeError:
        raise ScenarioError("cannot write: the program reading from it stopped reading", shown) from None
    except OSError as exc:
        raise ScenarioError(f"cannot write: {_reason(exc)}", shown) from None


def _refuse_planted_link(path: str | Path, shown: str) -> None:
    """Refuse a link that the kernel's ``protected_symlinks`` rule would not follow.

    That rule: in a sticky folder anyone may write to, a link is followed only for its owner
    or when the folder's owner made it. Here the link is followed by reading it, where the
    kernel cannot see it, so the rule is kept by hand.
    """
    try:
        link = os.lstat(path)
        if not stat.S_ISLNK(link.st_mode):
            return
        folder = os.stat(os.path.dirname(os.path.abspath(path)))
    except (OSError, ValueError):
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and link.st_uid not in (os.geteuid(), folder.st_uid):
        raise ScenarioError(
            "cannot write: it is a symbolic link another user made in a shared folder; give its target instead",
            shown,
        )


# -- writing a FIFO or a device in place ---------------------------------------------------------


@contextlib.contextmanager
def _in_place(target: Path, shown: str) -> Iterator[BinaryIO]:
    try:
        # Non-blocking, so that a FIFO with no reader is an error now rather than a wait for ever.
        descriptor = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise ScenarioError("cannot write: it is a FIFO and no program is reading from it", shown) from None
        raise ScenarioError(f"cannot write: {_reason(exc)}", shown) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            info = os.fstat(descriptor)
            if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
                raise ScenarioError("cannot write: it changed into something else while saving", shown)
            # Once open, writes may wait for a slow reader like any program's would.
            os.set_blocking(descriptor, True)
            yield handle
    except BrokenPipeError:
        raise ScenarioError("cannot write: the program reading from it stopped reading", shown) from None
    except OSError as exc:
        raise ScenarioError(f"cannot write: {_reason(exc)}", shown) from None
