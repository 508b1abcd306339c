"""Reading a file a user named: only regular files, and never more than a limit.

Scenario files, observation files and the config file all come through here, because a
path can name anything: a FIFO that nobody writes to (a plain ``open`` waits for a
writer for ever), ``/dev/zero`` (its size reads as 0, and reading it never ends) or a
folder. The file is opened without blocking, checked with ``fstat`` on the very
descriptor that is read, and at most ``limit + 1`` bytes are read, so the limit holds
for the bytes actually read rather than for a size the file claims.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ammoflow.scenarios.model.errors import Problem, ScenarioError

MiB = 1024 * 1024


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit:,} bytes"


def read_bytes(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``; a one-line ScenarioError otherwise.

    ``what`` names the file for the messages ("a scenario file", "an observations file"...).
    """
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ScenarioError("file not found", source) from None
    except IsADirectoryError:
        raise ScenarioError(f"is a folder, not {what}", source) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ScenarioError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", source) from None
    try:
        status = os.fstat(descriptor)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError(f"is a folder, not {what}", source)
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"is {_kind_of(mode)}, not {what}; give the path of a regular file", source)
        if status.st_size > limit:
            raise ScenarioError(f"file is {status.st_size:,} bytes; {what} may be at most {_size(limit)}", source)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", source) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        # The file grew while it was read, or its size was not what fstat said.
        raise ScenarioError(f"file is over {limit:,} bytes; {what} may be at most {_size(limit)}", source)
    return data


def read_text(path: str | Path, limit: int, what: str) -> str:
    """The file's UTF-8 text (a leading byte-order mark dropped), read as :func:`read_bytes` does."""
    data = read_bytes(path, limit, what)
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is not content
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(f"not UTF-8 text (is this {what}?)", line)], str(path)) from None
