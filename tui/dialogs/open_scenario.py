"""Choose a scenario to open: a preset, a file in this folder, a recent file or a typed path.

What is typed filters the list as it is typed; files that cannot be opened are marked with why.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import attrs
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.text import excerpt, visible
from ammoflow.tui.dialogs.base import Dialog
from ammoflow.tui.dialogs.errors import ERROR_MARK, InlineError
from ammoflow.tui.keys import FieldInput, focus_now

__all__ = ["OpenChoice", "OpenScenarioScreen", "folder_files", "preset_descriptions"]

MAX_FOLDER_FILES = 500
"""At most this many files of a folder are listed (a folder of thousands helps no one)."""


@attrs.frozen
class OpenChoice:
    """What to open: a preset by name, or a scenario file. Exactly one is set."""

    preset: str | None = None
    path: Path | None = None

    def __attrs_post_init__(self) -> None:
        if (self.preset is None) == (self.path is None):
            raise ValueError("an OpenChoice is either a preset or a path")


def preset_descriptions() -> list[tuple[str, str]]:
    """Each preset's name with its description ('' when the preset cannot be read)."""
    found = []
    for name in presets.names():
        try:
            description = presets.load(name).description
        except Exception:  # a broken preset must not stop the chooser from opening
            description = ""
        found.append((name, description))
    return found


def folder_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files in ``folder``, sorted by name (empty when it cannot be read)."""
    try:
        files = sorted((path for path in folder.glob("*.toml") if path.is_file()), key=lambda p: p.name.lower())
    except OSError:
        return []
    return files[:MAX_FOLDER_FILES]


def _shown(path: Path) -> str:
    """``path`` with the home folder written as ``~``, and any control character in it written out."""
    text = str(path)
    home = os.path.expanduser("~")
    if home not in ("", "/", "~") and (text == home or text.startswith(home + os.sep)):
        text = "~" + text[len(home) :]
    return visible(text)


class _ChoiceList(OptionList):
    """The option list; ``up`` on its first option goes back to the path input."""

    def action_cursor_up(self) -> None:
        enabled = [i for i, option in enumerate(self.options) if not option.disabled]
        if enabled and self.highlighted == enabled[0]:
            focus_now(self.screen.query_one("#path", Input))
            return
        super().action_cursor_up()


class OpenScenarioScreen(InlineError, Dialog[OpenChoice | None]):
    """A chooser: dismisses with an :class:`OpenChoice`, or None on escape.

    It does not read the scenario; the caller opens it and reports any problem.
    """

    DEFAULT_CSS = """
    OpenScenarioScreen {
        & > #dialog {
            min-width: 50;
        }
        & #path { width: 100%; }
        & #keys { dock: bottom; }
        & #error { color: $error; text-style: bold; display: none; padding: 0 1; }
        & #error.-shown { display: block; }
        & #choices {
            width: auto;
            min-width: 100%;
            max-width: 100%;
            height: auto;
            max-height: 60vh;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            & > .option-list--option-disabled { color: $foreground-muted; text-style: bold; }
            &:nocolor > .option-list--option-highlighted { text-style: reverse; }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="open.cancel"),
        Binding("down", "to_list", "To the list", show=False, id="open.to_list"),
    ]

    AUTO_FOCUS = "#path"

    def __init__(self, recent: Sequence[Path], folder: Path | None = None) -> None:
        super().__init__()
        self.recent = [Path(path) for path in recent]
        self.folder = folder
        self._choices: dict[str, OpenChoice] = {}
        self._problems: dict[Path, str | None] = {}
        self._files = folder_files(folder if folder is not None else Path.cwd())
        self._recent: list[Path] = []
        for path in self.recent:
            try:
                if path.is_file() and path not in self._recent:
                    self._recent.append(path)
            except OSError:
                continue

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Open scenario"
        with dialog:
            yield FieldInput(id="path", placeholder="or type a path")
            yield Static("", id="error", markup=False)
            yield _ChoiceList(*self._options(), id="choices")
            yield Static(
                f"enter open · tab/{self.keys_of('open.to_list')} list · {self.keys_of('open.cancel')} cancel",
                id="keys",
                markup=False,
            )

    def _options(self, wanted: str = "") -> list[Option | None]:
        """The choices, grouped, those whose text holds ``wanted`` (any case); every one when it is empty."""
        options: list[Option | None] = []
        needle = wanted.strip().lower()
        self._choices = {}

        def header(text: str) -> None:
            if options:
                options.append(None)
            options.append(Option(Content.styled(text, "bold"), disabled=True))

        def group(title: str, entries: list[tuple[str, Content, OpenChoice]], empty: str = "") -> None:
            shown = [entry for entry in entries if needle in entry[1].plain.lower()]
            if not shown and (needle or not empty):
                return
            header(title)
            for key, prompt, made in shown:
                self._choices[key] = made
                options.append(Option(prompt, id=key))
            if not shown:
                options.append(Option(Content.styled(f"  {empty}", "italic"), disabled=True))

        described = preset_descriptions()
        width = max((len(name) for name, _ in described), default=0)
        group(
            "Presets",
            [
                (
                    f"preset:{name}",
                    Content.assemble(("  " + name.ljust(width), "bold"), ("  " + visible(description), "dim")),
                    OpenChoice(preset=name),
                )
                for name, description in described
            ],
        )
        folder = self.folder if self.folder is not None else Path.cwd()
        group(
            f"In this folder ({_shown(folder)})",
            [(f"file:{path}", self._file_prompt(path, path.name), OpenChoice(path=path)) for path in self._files],
            empty="no .toml files here",
        )
        group(
            "Recent",
            [(f"recent:{path}", self._file_prompt(path, str(path)), OpenChoice(path=path)) for path in self._recent],
        )
        if needle and not self._choices:
            options.append(
                Option(Content.styled(f"  nothing listed holds {visible(wanted.strip())!r}", "italic"), disabled=True)
            )
        return options

    def _file_prompt(self, path: Path, name: str) -> Content:
        """A file's line: its name, and a mark with the reason when it is not a scenario that can be opened."""
        problem = self._problem(path)
        shown = "  " + (visible(name) if name == path.name else _shown(path))
        if problem is None:
            return Content(shown)
        return Content.assemble(shown, (f"  {ERROR_MARK}{visible(problem)}", "$text-error"))

    def _problem(self, path: Path) -> str | None:
        """Why the file at ``path`` cannot be opened (its first problem), or None; read once."""
        if path not in self._problems:
            try:
                read_scenario(path)
                self._problems[path] = None
            except ScenarioError as exc:
                self._problems[path] = exc.lines()[0] if exc.lines() else "not a scenario"
        return self._problems[path]

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = next((i for i, option in enumerate(choices.options) if not option.disabled), None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")
        choices = self.query_one("#choices", OptionList)
        choices.set_options(self._options(event.value))
        choices.highlighted = next((i for i, option in enumerate(choices.options) if not option.disabled), None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.action_to_list()
            return
        try:
            choice = self.typed_choice(text)
        except ValueError as exc:
            if len(self._choices) == 1:  # not a path, but it leaves one choice listed: that one
                self.answer(next(iter(self._choices.values())))
                return
            self.show_error(str(exc))
            return
        except OSError as exc:  # a name too long for the file system, a folder that cannot be searched
            self.show_error(f"cannot open {excerpt(text, 80)}: {exc.strerror or exc}")
            return
        self.answer(choice)

    @staticmethod
    def typed_choice(text: str) -> OpenChoice:
        """What a typed path (or preset name) means; ValueError says why it cannot be opened.

        A relative path is taken from the current working directory. An existing file
        wins; then ``NAME.toml`` for a bare name; then a preset called ``NAME``.
        """
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        path = Path(os.path.normpath(path))
        if path.is_file():
            return OpenChoice(path=path)
        if path.is_dir():
            raise ValueError(f"{_shown(path)} is a folder; type a scenario file")
        with_suffix = path.with_name(path.name + ".toml")
        if not path.suffix and with_suffix.is_file():
            return OpenChoice(path=with_suffix)
        if text in presets.names():
            return OpenChoice(preset=text)
        raise ValueError(f"no file {_shown(path)}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self._choices.get(event.option.id or "")
        if choice is not None:
            self.answer(choice)

    def action_to_list(self) -> None:
        focus_now(self.query_one("#choices", OptionList))

    def action_cancel(self) -> None:
        self.answer(None)
