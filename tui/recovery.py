"""Recovery slots: each running explorer's copy of its unsaved work, in the user's state folder.

Every explorer writes only its own slot, a file named for its process (the PID and the
process's start time, so a PID the system has reused is not mistaken for it). At start an
explorer offers the slots of explorers that are no longer running, newest first; a slot whose
process is alive is never offered, moved or removed by anyone else. Before asking about a
slot, an explorer renames it to a name of its own (its claim), so two explorers starting at
once never offer the same work twice, and work that was being asked about when this explorer
died too is offered again at the next start.

A copy records the absolute path of the file the work came from and that file's fingerprint
when the work began, so a restore reopens that very file and a save still notices that the
file was changed on disk in the meantime.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

import attrs

from ammoflow.scenarios.files import presets, reading
from ammoflow.scenarios.files.scenario_toml import parse_scenario, scenario_text
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.tui.userfiles import state_folder

# A copy holds one scenario (at most 1 MiB of TOML) and a few fields; anything far larger is not ours.
COPY_LIMIT = 4 * reading.MiB

COPY_FORMAT = 1
SLOT_SUFFIX = ".json"
CLAIM_SUFFIX = ".claim.json"
UNREADABLE_SUFFIX = ".unreadable"


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """The process's state letter and start time (clock ticks since boot), where /proc has them."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: fields are counted after the last ")".
    fields = text.rpartition(")")[2].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


@attrs.frozen
class Process:
    """A process as a slot names it: its PID and, where the system says, when it started."""

    pid: int
    started: str = ""

    @classmethod
    def of(cls, pid: int) -> Process:
        """The process with this PID now."""
        stat = _proc_stat(pid)
        return cls(pid, stat[1] if stat else "")

    @classmethod
    def current(cls) -> Process:
        return cls.of(os.getpid())

    @classmethod
    def from_name(cls, name: str) -> Process | None:
        """The process a slot file belongs to, from its name (``PID-START...``); None for other files."""
        stem = name.split(".", 1)[0]
        pid, _, started = stem.partition("-")
        if not pid.isdecimal() or not (started.isdecimal() or started == "x"):
            return None
        return cls(int(pid), "" if started == "x" else started)

    @property
    def name(self) -> str:
        return f"{self.pid}-{self.started or 'x'}"

    def alive(self) -> bool:
        """Whether this very process still runs (a zombie has stopped; a reused PID is another process)."""
        if self.pid <= 0:
            return False  # no process: a copy an older version left
        stat = _proc_stat(self.pid)
        if stat is not None:
            state, started = stat
            return state not in ("Z", "X") and (not self.started or started == self.started)
        if Path("/proc/self/stat").exists():
            return False  # /proc works here and has no such process
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # it exists but belongs to someone else
        return True


@attrs.frozen
class Copy:
    """Unsaved work as it was last copied."""

    scenario: Scenario
    saved_at: float  # seconds since the epoch
    path: Path | None  # the file the work came from, absolute
    preset: str | None  # or the preset it came from
    fingerprint: str | None  # the file's fingerprint when this work began

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))

    @property
    def source(self) -> str | None:
        return str(self.path) if self.path is not None else self.preset

    def text(self) -> str:
        return json.dumps(
            {
                "format": COPY_FORMAT,
                "saved_at": self.saved_at,
                "path": str(self.path) if self.path is not None else None,
                "preset": self.preset,
                "fingerprint": self.fingerprint,
                "scenario": scenario_text(self.scenario),
            }
        )

    @classmethod
    def read(cls, path: Path) -> Copy:
        """The copy in ``path``; ScenarioError (with the file's name) when it cannot be read."""
        try:
            data = json.loads(reading.read_text(path, COPY_LIMIT, "a recovery copy"))
            if not isinstance(data, dict) or not isinstance(data.get("scenario"), str):
                raise ValueError("not a recovery copy")
            scenario = parse_scenario(data["scenario"], str(path))
            saved_at = float(data.get("saved_at") or path.stat().st_mtime)
        except ScenarioError:
            raise
        except (OSError, ValueError, TypeError, RecursionError) as exc:
            raise ScenarioError(f"cannot read the recovery copy: {exc}", str(path)) from None
        source = data.get("path")
        preset = data.get("preset")
        fingerprint = data.get("fingerprint")
        return cls(
            scenario,
            saved_at,
            Path(source) if isinstance(source, str) and Path(source).is_absolute() else None,
            preset if isinstance(preset, str) else None,
            fingerprint if isinstance(fingerprint, str) else None,
        )


@attrs.frozen
class Claimed:
    """A dead explorer's slot, now held under this explorer's name while the user is asked."""

    path: Path
    copy: Copy | None  # None when it could not be read
    problem: str = ""


class Slot:
    """This explorer's own recovery slot, and its way to the slots of explorers that stopped."""

    def __init__(self, folder: Path | None = None, process: Process | None = None) -> None:
        self.folder = folder if folder is not None else state_folder() / "recovery"
        self.process = process if process is not None else Process.current()
        self.path = self.folder / f"{self.process.name}{SLOT_SUFFIX}"
        self._claim = self.folder / f"{self.process.name}{CLAIM_SUFFIX}"
        self._temporary = self.folder / f"{self.process.name}.tmp"

    def write(self, copy: Copy) -> bool:
        """Replace this explorer's copy at once (a rename; no fsync: it is for the process dying,
        not the machine); whether it was written. A failure says nothing: this is a safety net,
        not a save."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._temporary.write_text(copy.text(), encoding="utf-8")
            os.replace(self._temporary, self.path)
        except (OSError, ScenarioError):
            with contextlib.suppress(OSError):
                self._temporary.unlink()
            return False
        return True

    def clear(self) -> None:
        """Remove this explorer's copy (saved, quit, or nothing left unsaved); never another's."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    def read(self) -> Copy | None:
        """This explorer's own copy, if any."""
        try:
            return Copy.read(self.path)
        except ScenarioError:
            return None

    def _dead(self) -> list[Path]:
        """Slot files of explorers that no longer run, newest first; their leftover temporary files go."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        found: list[tuple[float, Path]] = []
        for name in names:
            owner = Process.from_name(name)
            if owner is None or owner == self.process or owner.alive():
                continue
            path = self.folder / name
            if name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()
            elif name.endswith(SLOT_SUFFIX):
                with contextlib.suppress(OSError):
                    found.append((path.stat().st_mtime, path))
        return [path for _, path in sorted(found, reverse=True)]

    def waiting(self) -> int:
        """How many stopped explorers' slots are still to be offered."""
        return len(self._dead())

    def _adopt_legacy(self) -> None:
        """Move the single copy older versions kept (``recovery.toml`` and ``.json``) into a stopped slot.

        Its source was recorded as typed, so only an absolute path or a preset name is kept;
        with no fingerprint, a save over that file asks first.
        """
        folder = self.folder.parent
        legacy, meta = folder / "recovery.toml", folder / "recovery.json"
        if not legacy.exists():
            return
        try:
            scenario = parse_scenario(reading.read_text(legacy, COPY_LIMIT, "a recovery copy"), str(legacy))
            note = json.loads(reading.read_text(meta, reading.MiB, "a recovery note")) if meta.exists() else {}
            source = note.get("source")
        except (OSError, ValueError, AttributeError, RecursionError, ScenarioError):
            return  # left where it is, for a person to look at
        path = Path(source) if isinstance(source, str) and Path(source).is_absolute() else None
        preset = source if isinstance(source, str) and source in presets.names() else None
        copy = Copy(scenario, legacy.stat().st_mtime, path, preset, None)
        if not Slot(self.folder, Process(0, "0")).write(copy):
            return
        for old in (legacy, meta):
            with contextlib.suppress(OSError):
                old.unlink()

    def claim_next(self) -> Claimed | None:
        """Take the newest slot of a stopped explorer, or None when there is none.

        The slot is renamed to this explorer's claim (only one explorer's rename can
        succeed); :meth:`release` removes it once the work is restored or declined.
        """
        self._adopt_legacy()
        for path in self._dead():
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                os.rename(path, self._claim)
            except OSError:
                continue  # another explorer took it first
            try:
                return Claimed(self._claim, Copy.read(self._claim))
            except ScenarioError as exc:
                aside = path.with_name(path.name + UNREADABLE_SUFFIX)
                with contextlib.suppress(OSError):
                    os.rename(self._claim, aside)
                reason = exc.problems[0].message if exc.problems else "unreadable"
                return Claimed(aside, None, f"{aside}: cannot be restored ({reason}); it was left there")
        return None

    def release(self, claimed: Claimed) -> None:
        """The claimed work was restored (and copied to this slot) or declined: remove the claim."""
        if claimed.copy is not None:
            with contextlib.suppress(OSError):
                claimed.path.unlink()

    def discard_waiting(self) -> int:
        """Remove every stopped explorer's copy still waiting (the user declined them all); how many.

        A copy that cannot be read is set aside, as :meth:`claim_next` does, not removed.
        """
        count = 0
        while (claimed := self.claim_next()) is not None:
            if claimed.copy is not None:
                self.release(claimed)
                count += 1
        return count
