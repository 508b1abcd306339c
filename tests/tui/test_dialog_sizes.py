"""Every dialog whole at every size the explorer allows: nothing cut off, nothing out of line.

At the smallest size (60x20) framed buttons and fields do not fit: three buttons side by side
need 62 columns, a form's fields three rows each. Below 80x24 (or a dialog's own threshold)
they are drawn compact, a row each; above it framed again, as a terminal made larger shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_screens import Host
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.scenario import baseline
from ammoflow.tui.dialogs.add_change import AddChangeScreen
from ammoflow.tui.dialogs.backtest import BacktestScreen
from ammoflow.tui.dialogs.confirm import ConfirmScreen, QuitScreen
from ammoflow.tui.dialogs.fit import FitScreen
from ammoflow.tui.dialogs.open_scenario import OpenScenarioScreen
from ammoflow.tui.dialogs.parameter_info import ParameterInfoScreen
from ammoflow.tui.dialogs.path_prompt import PathPrompt
from ammoflow.tui.dialogs.recovery import RecoverScreen
from ammoflow.tui.dialogs.runs import RunsScreen
from ammoflow.tui.dialogs.scenario_details import ScenarioScreen
from ammoflow.tui.dialogs.seek import SeekScreen
from ammoflow.tui.dialogs.uncertainty import UncertaintyScreen
from ammoflow.tui.explorer_base import MIN_HEIGHT, MIN_WIDTH

SMALLEST = (MIN_WIDTH, MIN_HEIGHT)
SIZES = [SMALLEST, (80, 24), (120, 40)]

DIALOGS: dict[str, Callable[[], Screen[Any]]] = {
    "quit": lambda: QuitScreen("to any file"),
    "confirm": lambda: ConfirmScreen("Overwrite?", "plan.toml changed on disk.", yes="Overwrite", danger=True),
    "recovery": lambda: RecoverScreen("17:22", "What if", None, waiting=2),
    "save as": lambda: PathPrompt("Save scenario as", "draft.toml"),
    "open": lambda: OpenScenarioScreen([]),
    "add a change": lambda: AddChangeScreen(baseline(), None),
    "uncertainty": lambda: UncertaintyScreen(baseline()),
    "scenario": lambda: ScenarioScreen(baseline()),
    "seek": lambda: SeekScreen(baseline(), "ru_production", figure="total_shortfall"),
    "fit": lambda: FitScreen(baseline(), read_observations()),
    "runs": lambda: RunsScreen("Baseline", ["Run 1", "Run 2"]),
    "parameter": lambda: ParameterInfoScreen(registry.PARAMETERS[0], 150_000.0),
    "backtest": lambda: BacktestScreen(baseline(), read_observations(), "2024-02"),
}


def shown(widget: Widget) -> bool:
    return widget.display and widget.region.area > 0


def text_line(widget: Widget) -> int:
    """The screen line a widget's first text is on: inside its frame, or its first part's (a Select's)."""
    parts = [child for child in widget.children if shown(child)]
    return text_line(parts[0]) if parts else widget.content_region.y


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_part_of_the_dialog_is_on_screen_and_in_line(name: str, size: tuple[int, int]) -> None:
    app = Host(DIALOGS[name])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#dialog")
        dialog = box.region
        assert screen.region.contains_region(dialog), (dialog, size)
        # Nothing hidden below the frame: the content is no taller than the room inside it.
        assert box.virtual_size.height <= box.container_size.height, (box.virtual_size, box.container_size)
        for button in [button for button in screen.query(Button) if shown(button)]:
            assert dialog.contains_region(button.region), (str(button.label), button.region, dialog)
        for keys in screen.query("#keys").results(Static):
            assert dialog.contains_region(keys.region), (str(keys.content), keys.region, dialog)
            if name in ("quit", "confirm", "recovery") and size != SMALLEST:
                assert keys.region.height == 1, str(keys.content)  # one line, not wrapped
        # The words beside a field stand on the line of its text, framed or compact.
        for row in screen.query(".row"):
            lines = {text_line(child) for child in row.children if shown(child)}
            assert len(lines) <= 1, (row, [(child, text_line(child)) for child in row.children])


async def test_a_dialog_takes_its_frames_back_when_the_terminal_grows() -> None:
    app = Host(DIALOGS["quit"])
    async with app.run_test(size=SMALLEST) as pilot:
        await pilot.pause()
        assert {button.region.height for button in app.screen.query(Button)} == {1}
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert {button.region.height for button in app.screen.query(Button)} == {3}
        await pilot.resize_terminal(*SMALLEST)
        await pilot.pause()
        assert {button.region.height for button in app.screen.query(Button)} == {1}
