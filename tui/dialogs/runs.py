"""The runs kept for comparison and the baseline: list them, add, remove, rename, export.

The dialog only chooses; the explorer does the work (projecting a run off the key path,
asking for a file), so a run is added the same way from here as from the ``k`` key.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from ammoflow.scenarios.model.text import visible
from ammoflow.tui.dialogs.base import Dialog

__all__ = ["RunsChoice", "RunsScreen"]

Action = Literal["add_current", "add_other", "remove", "rename", "export", "unpin", "pin_saved"]
BASELINE = "\x00baseline"  # the baseline's row: no run can be called this (labels are visible text)


@attrs.frozen
class RunsChoice:
    action: Action
    label: str = ""  # the run acted on
    text: str = ""  # its new name, for rename


class RunsScreen(Dialog[RunsChoice | None]):
    """Every compared run, the baseline first; keys act on the highlighted one."""

    DEFAULT_CSS = """
    RunsScreen {
        & > #dialog { width: 64; }
        & OptionList { height: auto; max-height: 12; }
        & #rename { display: none; }
        & #rename.-shown { display: block; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('add_current')", "Keep current", id="runs.add_current"),
        Binding("o", "choose('add_other')", "Preset or file", id="runs.add_other"),
        Binding("x,delete", "choose('remove')", "Remove", id="runs.remove"),
        Binding("n", "rename", "Rename", id="runs.rename"),
        Binding("e", "choose('export')", "Export", id="runs.export"),
        Binding("p", "choose('unpin')", "Unpin baseline", id="runs.unpin"),
        Binding("s", "choose('pin_saved')", "Baseline = saved", id="runs.pin_saved"),
        Binding("escape", "close", "Close", id="runs.close"),
    ]

    def __init__(self, baseline: str | None, runs: list[str]) -> None:
        super().__init__()
        self.baseline = baseline
        self.runs = runs

    def compose(self) -> ComposeResult:
        options = [Option(f"Baseline: {visible(self.baseline)}" if self.baseline else "No baseline pinned", BASELINE)]
        options += [Option(visible(label), label) for label in self.runs]
        with Vertical(id="dialog") as box:
            box.border_title = "Runs compared"
            yield OptionList(*options, id="list")
            yield Input(placeholder="new name, Enter to rename", id="rename")
            yield Static(
                f"{self.keys_of('runs.add_current')} keep current · {self.keys_of('runs.add_other')} preset/file · "
                f"{self.keys_of('runs.remove')} remove · {self.keys_of('runs.rename')} rename\n"
                f"{self.keys_of('runs.export')} export · {self.keys_of('runs.unpin')} unpin · "
                f"{self.keys_of('runs.pin_saved')} baseline = saved · {self.keys_of('runs.close')}",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = 1 if self.runs else 0

    @property
    def highlighted(self) -> str:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is None:
            return BASELINE
        return str(listing.get_option_at_index(index).id)

    def action_choose(self, action: Action) -> None:
        label = self.highlighted
        if action in ("remove",) and label == BASELINE:
            self.notify("The baseline is not a kept run: p unpins it.", timeout=3)
            return
        self.answer(RunsChoice(action, "" if label == BASELINE else label))

    def action_rename(self) -> None:
        if self.highlighted == BASELINE:
            self.notify("The baseline is named after its scenario; rename a kept run.", timeout=3)
            return
        field = self.query_one("#rename", Input)
        field.value = self.highlighted
        field.add_class("-shown")
        field.focus()
        field.selection = Selection(0, len(field.value))  # typing replaces the old name, from the next key on

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(RunsChoice("rename", self.highlighted, event.value))

    def action_close(self) -> None:
        field = self.query_one("#rename", Input)
        if field.has_class("-shown"):
            field.remove_class("-shown")
            self.query_one(OptionList).focus()
            return
        self.answer(None)
