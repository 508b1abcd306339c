"""The ammoflow terminal app: what is app-wide only.

The configuration and the key map, the offer of work that stopped unsaved, the stop signals
and the exit status. Everything about the scenario on screen belongs to the default screen,
:class:`ammoflow.tui.explorer.ExplorerScreen`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.screen import Screen

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import visible
from ammoflow.tui import collector, userfiles
from ammoflow.tui.commands import ExplorerCommands
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.explorer import ExplorerScreen, dialog_action
from ammoflow.tui.jobs import stop_all
from ammoflow.tui.keys import TypeAhead
from ammoflow.tui.recovery import Slot
from ammoflow.tui.state import Workspace

__all__ = ["AmmoflowApp", "binding_defaults", "binding_ids", "run_app"]

NOTICES_KEPT = 100
"""The most recent notifications :attr:`AmmoflowApp.notices` keeps."""

# SIGHUP (a dropped SSH connection) and SIGTERM end the explorer like a crash would, keeping the
# unsaved work for the next start; the exit status says which signal it was (128 + its number).
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class AmmoflowApp(TypeAhead, App[None]):
    """The explorer on a scenario, with the key map and the recovery of unsaved work."""

    TITLE = "ammoflow"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    # In place of Textual's ctrl+q, which would quit at once over unsaved work: here it asks,
    # from a dialog too (the explorer's own bindings are not in force under one). Its id is the
    # explorer's quit, so remapping that moves this one as well.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", show=False, id="app.quit")]
    # Textual repaints the whole screen when these change (the sub-title does at the first edit:
    # "modified"); the header follows them itself, so only its row need be written.
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    def __init__(
        self,
        scenario: Scenario | None = None,
        path: Path | None = None,
        origin: str = "baseline",
        *,
        observations: tuple[Observation, ...] | None = None,
        offer_recovery: bool = True,
    ) -> None:
        super().__init__()
        self.offer_recovery = offer_recovery
        self.slot = Slot()
        self.clock: Callable[[], float] = time.monotonic  # when keys are typed and edits happen: undo, recovery copy
        self.today: Callable[[], date] = date.today  # the present the charts mark; tests fix it
        self.stopped_by: int | None = None  # the signal that ended the explorer, if one did
        self.catching: frozenset[int] = frozenset()  # the stop signals this explorer handles itself
        # Seconds a signal's orderly exit may take before the process ends regardless (a terminal
        # that hung up can make the exit block on writes to it); None leaves it to the caller.
        self.hard_exit_after: float | None = None
        self._notices: deque[str] = deque(maxlen=NOTICES_KEPT)
        self._opening = (scenario or presets.load("baseline"), path, origin)
        self._observations = observations
        self._explorer: ExplorerScreen | None = None

    @property
    def explorer(self) -> ExplorerScreen:
        """The explorer screen: the scenario, what it shows, and when it has settled."""
        if self._explorer is None:  # made when the app starts, inside it
            scenario, path, origin = self._opening
            self._explorer = ExplorerScreen(
                Workspace.open(scenario, path, origin),
                self._observations if self._observations is not None else read_observations(),
                slot=lambda: self.slot,
                clock=lambda: self.clock(),
                today=lambda: self.today(),
            )
        return self._explorer

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; on Linux it writes frugally (``tui/driver.py``)."""
        from ammoflow.tui.driver import with_frugal_writing

        return with_frugal_writing(super().get_driver_class())

    def get_default_screen(self) -> ExplorerScreen:
        return self.explorer

    @property
    def notices(self) -> tuple[str, ...]:
        """The notifications shown, oldest first, as shown: the last NOTICES_KEPT, whether or not they have expired."""
        return tuple(self._notices)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; it quotes names, paths and files, so it is plain text with control characters written out.

        Each line is made visible on its own: a notification may list several problems.
        """
        shown = "\n".join(visible(line) for line in message.split("\n"))
        self._notices.append(shown)
        super().notify(shown, title=visible(title), severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.call_after_refresh(collector.release)  # held off by the command until the first frame is out
        remembered = userfiles.remembered_theme()
        if remembered is not None and remembered in self.available_themes:
            self.theme = remembered
        self.watch(self, "theme", userfiles.remember_theme, init=False)  # from t or the palette alike
        # Finding the defaults imports every module of the explorer (its dialogs too): only
        # when there is a config file, so a start without one loads only what it shows.
        keymap, problems = userfiles.read_keymap(binding_defaults)
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Key bindings", severity="warning", timeout=10)
        self._catch_stop_signals(True)
        if self.offer_recovery:
            self._offer_recovery()

    def on_unmount(self) -> None:
        self._catch_stop_signals(False)
        stop_all()  # a long Monte Carlo would otherwise keep the closing program waiting for it

    def _catch_stop_signals(self, catch: bool) -> None:
        loop = asyncio.get_running_loop()
        caught = set()
        for number in STOP_SIGNALS:
            # Not possible off the main thread or on some platforms: the default action then stays.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                if catch:
                    loop.add_signal_handler(number, self._stop_on_signal, number)
                    caught.add(number)
                else:
                    loop.remove_signal_handler(number)
        self.catching = frozenset(caught)

    def _stop_on_signal(self, number: int) -> None:
        """Keep the unsaved work, then leave as on quit (the terminal restored), exit status 128 + signal.

        After a hang-up the terminal is gone and writes to it fail or block; the copy is
        written first, and ``hard_exit_after`` bounds the rest.
        """
        self.keep_work()
        self.stopped_by = number
        if self.hard_exit_after is not None:
            deadline = threading.Timer(self.hard_exit_after, os._exit, args=(128 + number,))
            deadline.daemon = True  # it must not keep a process that is done from ending
            deadline.start()
        self.exit(return_code=128 + number)

    @property
    def exit_status(self) -> int:
        """What the process should exit with: 128 + the signal that stopped it, 1 after a crash, else 0."""
        if self.stopped_by is not None:
            return 128 + self.stopped_by
        return self.return_code or 0

    def keep_work(self) -> None:
        """Bring this explorer's recovery slot up to date (after a crash or a stop signal too)."""
        self.explorer.keep_work()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette commands but its Quit: the explorer's own (which asks first) is listed."""
        return (command for command in super().get_system_commands(screen) if command.title != "Quit")

    async def action_quit(self) -> None:
        """Quit as the explorer does: asking first about unsaved work."""
        self.explorer.action_quit()

    @dialog_action
    async def _offer_recovery(self) -> None:
        """Offer the work of explorers that stopped without saving, newest first, one after another.

        Discarding one moves on to the next; restoring one ends the offers, and any still
        waiting are offered at the next start (this explorer says how many), as are this one
        and the rest when the answer is "later". "Discard all" removes every copy waiting.
        """
        from ammoflow.tui.dialogs.recovery import RecoverScreen, scenarios

        while (claimed := self.slot.claim_next()) is not None:
            found = claimed.copy
            if found is None:
                self.notify(claimed.problem, title="Recovery", severity="warning", timeout=10)
                continue
            waiting = self.slot.waiting()
            asked = RecoverScreen(found.when, found.scenario.name, found.source, waiting=waiting)
            answer = await self.push_screen_wait(asked)
            if answer == "restore":
                self.explorer.restore(claimed, found)
                return
            if answer == "later":  # the claim stays this explorer's: it is offered again once this one stops
                self.notify(f"Kept {scenarios(waiting + 1)} for the next start.", title="Recovery", timeout=6)
                return
            self.slot.release(claimed)
            if answer == "discard all":
                gone = 1 + self.slot.discard_waiting()
                self.notify(f"Discarded {scenarios(gone)}.", title="Recovery", timeout=4)
                return

    def on_dialog_ready(self, message: Dialog.Ready) -> None:
        message.stop()
        self.release_keys()


def binding_ids() -> set[str]:
    """Every binding id a user may remap in the ``[keymap]`` table of the config file."""
    from ammoflow.tui.keymap import binding_ids as declared_in

    return declared_in("ammoflow.tui")


def binding_defaults() -> dict[str, tuple[str, ...]]:
    """Every binding id with its keys before any remapping: a remapping must not take one silently."""
    from ammoflow.tui.keymap import default_keys

    return default_keys("ammoflow.tui")


def run_app(argument: str, path: Path | None) -> int:
    """Open the explorer on a preset name or a file (already checked by the CLI); its exit status.

    A file that does not exist yet opens a new scenario, from the baseline, that saves there.

    After a crash the unsaved work is kept for the next start, and the status is not 0.
    """
    if path is not None and not os.path.lexists(path):
        scenario, origin = presets.new_scenario(path.stem), "baseline"  # saved to path by ctrl+s
    else:
        scenario = read_scenario(path) if path is not None else presets.load(argument)
        origin = str(path) if path else argument
    app = AmmoflowApp(scenario, path, origin)
    app.hard_exit_after = 5.0
    try:
        app.run()
    finally:
        collector.release()  # if no frame went out
    if app.exit_status:
        with contextlib.suppress(Exception):  # already failing; the status must still get out
            app.keep_work()
    return app.exit_status
