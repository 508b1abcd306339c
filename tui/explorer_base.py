"""What the explorer screen's parts share: its state, the hooks they call across, small helpers.

The explorer screen (:mod:`ammoflow.tui.explorer`) is put together from parts, each a class
in a module of its own (edits, runs, cursor, files, drawing, size) that the screen inherits.
Each part derives from :class:`ExplorerBase`, which names the state the screen holds and
the methods one part calls on another, so each part type-checks on its own.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import polars as pl
from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from ammoflow.scenarios.model.figures import KeyFigures
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Scenario
from ammoflow.scenarios.model.text import excerpt, visible
from ammoflow.tui.jobs import Job
from ammoflow.tui.panels import chart_tabs as charts
from ammoflow.tui.panels.bands import BandsStatus
from ammoflow.tui.panels.changes import ChangesTable, ScheduleView
from ammoflow.tui.panels.parameters import ParametersPanel
from ammoflow.tui.recovery import Slot
from ammoflow.tui.runs import Run, Runs
from ammoflow.tui.state import CopySchedule, Workspace

if TYPE_CHECKING:
    from ammoflow.tui.panels.figures import Compared
    from ammoflow.tui.render.chart_data import ChartData
    from ammoflow.tui.widgets.chart import Chart

MIN_WIDTH, MIN_HEIGHT = 60, 20
FULL_WIDTH, FULL_HEIGHT = 100, 30

Baseline = tuple[Scenario, pl.DataFrame, KeyFigures]

TAB_TITLES = {tab.id: tab.title for tab in charts.TABS} | {
    "figures-tab": "Figures",
    "changes": "Changes",
    "sensitivity": "Tornado",
    "table-tab": "Table",
    "observed-tab": "Observed",
    "model-tab": "Model",
}
"""Each tab's full title, by its pane's id; narrow terminals show shorter ones (tab_labels)."""


@attrs.frozen(eq=False)
class Projection:
    """A scenario projected: its frame and key figures, and those of the baseline it is compared with."""

    scenario: Scenario
    frame: pl.DataFrame
    figures: KeyFigures
    baseline: Baseline
    as_of: int  # the absolute month the "as of" figures (the scenario's and the baseline's) are read at


@attrs.frozen(eq=False)
class Asked:
    """What a projection is asked for: the scenario, the baseline, and the baseline already projected."""

    scenario: Scenario
    baseline: Scenario
    known: Baseline | None


def dialog_action(method: Callable[..., Awaitable[None]]) -> Callable[..., object]:
    """An action that may open dialogs, run in a worker (one at a time).

    Keys typed after it are held until its first dialog has focus (or it ends without
    one): typed ahead, they belong to the dialog, not to the slider behind it.
    """

    @functools.wraps(method)
    async def released(owner: Any, *args: object) -> None:
        try:
            await method(owner, *args)
        finally:
            owner.app.release_keys()

    worker = work(exclusive=True, group="dialog")(released)

    @functools.wraps(method)
    def action(owner: Any, *args: object) -> object:
        owner.app.hold_keys()
        return worker(owner, *args)

    action.opens_dialog = True  # type: ignore[attr-defined]  # read by check_action
    return action


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def same_file(path: Path, other: Path | None) -> bool:
    """Whether two paths, however spelt (relative, absolute, through links), lead to the same place."""
    return other is not None and os.path.realpath(path) == os.path.realpath(other)


FIRST_LEVER = "containers_per_month"
"""Where goal seek and fit start: the pace of shipments, which every headline figure and every
observation (counts of containers and rounds shipped) depends on. Not the focused slider: that
may be one that moves nothing the figures show (the other-export lines)."""

TITLE_FRAME = len("ammoflow — ") + 18
"""Columns of the header that the title's words cannot use: the app's name, the icon, the margins."""


def title_for(name: str, path: Path | None, modified: bool, width: int) -> str:
    """The header's words: the name, whether it is modified, and the file ctrl+s writes.

    The marker and the file always show; a long name is cut in the middle to leave them room.
    """
    marker = " ● modified" if modified else ""
    target = f" · {excerpt(path.name, 30)}" if path is not None else " · no file yet"
    room = max(12, width - TITLE_FRAME - len(marker) - len(target))
    shown = visible(name)
    if len(shown) > room:
        shown = f"{shown[: room - room // 3 - 1]}…{shown[-(room // 3) :]}"
    return f"{shown}{marker}{target}"


QUIT = Binding("ctrl+q,q", "quit", "Quit", id="app.quit", tooltip="Quit (asks if there are unsaved changes)")


class ExplorerBase(Screen[None]):
    """The explorer's state and the methods its parts call on one another.

    Quit leads the footer and the help's list, where Textual's App puts its own ctrl+q: the
    screen's bindings are merged after these. The attributes are set by the screen's
    ``__init__``; the methods under ``TYPE_CHECKING`` are defined by the parts named beside them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [QUIT]

    workspace: Workspace
    observations: tuple[Observation, ...]
    _slot: Callable[[], Slot]
    _clock: Callable[[], float]
    _today: Callable[[], date]
    copy_schedule: CopySchedule
    _copy_timer: Timer | None
    _focus_before_small: Widget | None
    _result: Projection | None
    _held: Timer | None  # a projection waiting for its bands (explorer_drawing)
    _projections: Job[Asked, Projection]
    _bands_view: BandsStatus
    _parameters: ParametersPanel
    _changes: ChangesTable
    _schedule: ScheduleView
    cursor_month: str | None
    _focus_before_cursor: Widget | None
    _focus_outside_cursor: Widget | None
    _key_names: dict[str, str]  # see key_of
    _compared_text: str | None
    runs: Runs
    _compared_index: int
    _charted: list[charts.Compared]
    _keeping: list[Job[tuple[str, Scenario], Run]]
    _resumed_before: bool  # the screen has shown once (explorer: on_screen_resume)
    _unfilled: dict[str, Widget]  # the panes not shown at start, until filled (explorer: _fill_panes)
    _answering: Projection | None  # a known answer, drawn once the slider's frame is out (explorer_drawing)
    _ahead_due: bool  # a look-ahead is planned for after the next paint
    _frame_out: bool  # the first frame is out: a look-ahead may start (explorer_ahead)
    _last_way: dict[str, int]  # parameter key -> the way its slider last moved (+1 up, -1 down)
    looks_ahead: ClassVar[bool] = True
    """Whether the next steps are worked out while the screen is idle (explorer_ahead); tests of
    the steps computed when their key comes turn it off."""

    def key_of(self, action: str) -> str:
        """The key the screen's ``action`` is bound to, as the footer shows it (a ``[keymap]``
        entry may have moved it), for hints that name a key. Bindings are fixed once the app
        has started, so each is looked up once."""
        if action not in self._key_names:
            found = (b.binding for b in self.active_bindings.values() if b.binding.action == action)
            binding = next(found, None)
            self._key_names[action] = "" if binding is None else self.app.get_key_display(binding)
        return self._key_names[action]

    async def write_chosen(
        self,
        title: str,
        default: str,
        suffix: str,
        check: Callable[[Path], object],
        content: Callable[[Path], str | bytes],
    ) -> Path | None:
        """Ask for a path (``check`` refuses a bad one in the prompt), ask before replacing a file
        there, and write ``content(path)`` atomically. The path written; None when the user gave
        up, or the write failed (said in a notification)."""
        from ammoflow.scenarios.files.safe_write import exists, write_atomic
        from ammoflow.scenarios.model.errors import ScenarioError
        from ammoflow.tui.dialogs.confirm import ConfirmScreen
        from ammoflow.tui.dialogs.path_prompt import PathPrompt

        path = await self.app.push_screen_wait(PathPrompt(title, default, suffix=suffix, check=check))
        if path is None:
            return None
        if exists(path):  # a symbolic link to nowhere too: writing creates its target
            question = ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite", danger=True)
            if not await self.app.push_screen_wait(question):
                return None
        try:
            write_atomic(path, content(path))
        except ScenarioError as exc:
            self.app.notify("\n".join(exc.lines()), title="Not exported", severity="error")
            return None
        return path

    if TYPE_CHECKING:
        # explorer_edits
        def _show_scenario(self) -> None: ...
        def _changed(self, scenario: Scenario, topic: str | None = None) -> None: ...
        def _after_edit(self) -> None: ...
        def keep_work(self) -> None: ...
        def _focused_parameter(self) -> str | None: ...

        # explorer_drawing
        def _as_of(self) -> int: ...
        def _compared_baseline(self) -> Scenario: ...
        def _baseline_for(self, scenario: Scenario) -> Scenario: ...
        def _request_compute(self) -> None: ...
        def _draw(self) -> None: ...
        def _bands_drawn(self) -> None: ...
        def _draw_chart(self, tab_id: str) -> None: ...
        def _project(self, asked: Asked) -> Projection: ...
        def _draw_held(self) -> None: ...
        def _chart_data(self, tab_id: str, result: Projection, fans: charts.Fans | None) -> ChartData: ...
        def _chart_shown(self) -> tuple[str, Chart] | None: ...

        # explorer_ahead
        def _look_ahead_later(self) -> None: ...
        def _stop_looking_ahead(self) -> None: ...
        def _noted_way(self, key: str, before: float, after: float) -> None: ...
        def _first_frame_out(self) -> None: ...
        def _place_figures(self) -> None: ...

        # explorer_runs
        def compared(self) -> list[Compared]: ...
        def _chart_runs(self) -> list[charts.Compared]: ...
        def _compared_line(self, compared: list[Compared]) -> str: ...

        # explorer_cursor
        def _cursor_index(self, scenario: Scenario) -> int | None: ...

        # explorer (the screen)
        def action_show_tab(self, tab: str) -> None: ...
