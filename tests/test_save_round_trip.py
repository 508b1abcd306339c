"""Saving over files people wrote by hand: edit, save, read gives the edit, and no comment is lost.

The files are generated the way people and their editors leave them: without a final newline,
with comments on every line and between every entry, CRLF line endings, a byte-order mark,
arrays of changes, and odd spacing.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import CHANGING_KEYS, multi_line_text, parameter_values, single_line_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.files.scenario_toml import parse_scenario, read_scenario, scenario_text, write_scenario
from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.scenario import Change, Scenario

BOM = "\ufeff"
SPACE = st.sampled_from(["", " ", "  ", "\t"])
AROUND_EQUALS = st.sampled_from([" ", "", "   ", "\t"])


class HandWritten:
    """A generated file: its text, and which comments sit inside which [[changes]] entry."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.lines: list[str] = []
        self.comments: dict[str, int | None] = {}  # comment -> the [[changes]] entry it sits in, by file order
        self.entry: int | None = None  # TOML puts a comment in the table whose header is above it
        self.entries = 0

    def comment(self) -> str:
        text = (
            f"#{self.draw(SPACE)}c{len(self.comments)} {self.draw(st.sampled_from(['', 'é', 'x = 1', '[[changes]]']))}"
        )
        self.comments[text.rstrip()] = self.entry
        return text

    def maybe_comment_lines(self) -> None:
        for _ in range(self.draw(st.integers(0, 2))):
            self.lines.append(self.draw(SPACE) + self.comment())
        if self.draw(st.booleans()):
            self.lines.append(self.draw(SPACE))

    def line(self, content: str) -> None:
        trailing = f"{self.draw(SPACE)} {self.comment()}" if self.draw(st.booleans()) else self.draw(SPACE)
        self.lines.append(f"{self.draw(SPACE)}{content}{trailing}")

    def key(self, key: str, value: str) -> None:
        self.maybe_comment_lines()
        self.line(f"{key}{self.draw(AROUND_EQUALS)}={self.draw(AROUND_EQUALS)}{value}")


def number(draw: Any, value: float) -> str:
    if value == int(value) and abs(value) < 2**53:
        whole = int(value)
        return draw(st.sampled_from([str(whole), f"{whole:_}", f"{float(whole)!r}"]))
    return repr(value)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def hand_written_files(draw: Any) -> tuple[str, HandWritten]:
    file = HandWritten(draw)
    start = format_month(draw(st.integers(parse_month("2020-01"), parse_month("2026-12"))))
    months = draw(st.integers(2, 60))
    file.maybe_comment_lines()
    top = {
        "name": quoted(draw(st.sampled_from(["Mine", "Harder # firing", "A 'quoted' one"]))),
        "start": quoted(start),
        "months": str(months),
        "description": quoted("from my notebook"),
    }
    for key in draw(st.permutations(list(top))):
        if key in ("start", "months") or draw(st.booleans()):
            file.key(key, top[key])

    def parameters() -> None:
        file.maybe_comment_lines()
        file.entry = None
        file.line(draw(st.sampled_from(["[parameters]", "[ parameters ]"])))
        for key in draw(st.lists(st.sampled_from(registry.KEYS), unique=True, max_size=5)):
            file.key(key, number(draw, draw(parameter_values(key))))

    def drawn_changes() -> list[dict[str, str]]:
        seen, drawn = set(), []
        for _ in range(draw(st.integers(0, 3))):
            month = format_month(parse_month(start) + draw(st.integers(0, months - 1)))
            key = draw(st.sampled_from(CHANGING_KEYS))
            if (month, key) not in seen:
                seen.add((month, key))
                value = number(draw, draw(parameter_values(key)))
                drawn.append({"from": quoted(month), "parameter": quoted(key), "value": value})
        return drawn

    def changes() -> None:
        for fields in drawn_changes():
            file.maybe_comment_lines()
            file.entry = file.entries
            file.entries += 1
            file.line(draw(st.sampled_from(["[[changes]]", "[[ changes ]]"])))
            for field in draw(st.permutations(list(fields))):
                file.key(field, fields[field])

    def inline_changes() -> None:
        """changes = [{...}, ...]: on one line, or one entry a line with comments between."""
        entries = ["{" + ", ".join(f"{k} = {v}" for k, v in fields.items()) + "}" for fields in drawn_changes()]
        file.maybe_comment_lines()
        if draw(st.booleans()):
            file.line(f"changes = [{', '.join(entries)}]")
            return
        file.line("changes = [")
        for index, entry in enumerate(entries):
            file.entry = file.entries
            file.entries += 1
            comma = "," if index < len(entries) - 1 or draw(st.booleans()) else ""
            file.line(f"  {entry}{comma}")
        file.entry = None
        file.lines.append("]")

    def uncertainty() -> None:
        file.maybe_comment_lines()
        file.entry = None
        file.line("[uncertainty]")
        file.key("seed", str(draw(st.integers(0, 99))))
        file.key("runs", str(draw(st.integers(1, 5000))))

    inline = draw(st.booleans())
    if inline:
        inline_changes()  # a top-level key: before the first [table]
    sections = [parameters] + ([] if inline else [changes]) + ([uncertainty] if draw(st.booleans()) else [])
    for section in draw(st.permutations(sections)):
        section()
    file.maybe_comment_lines()
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(file.lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.booleans()):
        text = BOM + text
    return text, file


@st.composite
def edits(draw: Any, scenario: Scenario) -> tuple[Scenario, set[tuple[str, str]]]:
    """An edit made in the explorer, and the (month, parameter) of each change it removed."""
    removed: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "add", "remove", "change value", "name", "notes"]))
        changes = list(scenario.changes)
        if kind == "value":
            key = draw(st.sampled_from(registry.KEYS))
            scenario = scenario.with_value(key, draw(parameter_values(key)))
        elif kind == "add":
            month = format_month(scenario.start_index + draw(st.integers(0, scenario.months - 1)))
            key = draw(st.sampled_from(CHANGING_KEYS))
            if all((c.month, c.parameter) != (month, key) for c in changes):
                scenario = scenario.with_changes([*changes, Change(month, key, draw(parameter_values(key)))])
        elif kind == "remove" and changes:
            gone = draw(st.sampled_from(changes))
            removed.add((gone.month, gone.parameter))
            scenario = scenario.with_changes(c for c in changes if c is not gone)
        elif kind == "change value" and changes:
            index = draw(st.integers(0, len(changes) - 1))
            old = changes[index]
            changes[index] = Change(old.month, old.parameter, draw(parameter_values(old.parameter)))
            scenario = scenario.with_changes(changes)
        elif kind == "name":
            scenario = Scenario(**{**_fields(scenario), "name": draw(single_line_text.filter(bool))})
        elif kind == "notes":
            scenario = Scenario(**{**_fields(scenario), "notes": draw(multi_line_text | single_line_text)})
    return scenario, removed


def _fields(scenario: Scenario) -> dict[str, Any]:
    return {name: getattr(scenario, name) for name in ("name", "description", "start", "months", "values")} | {
        "changes": scenario.changes,
        "notes": scenario.notes,
        "uncertainty": scenario.uncertainty,
    }


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_edit_save_read_gives_the_edit_and_keeps_every_comment(data: st.DataObject) -> None:
    original, file = data.draw(hand_written_files())
    before = parse_scenario(original.removeprefix(BOM))
    edited, removed = data.draw(edits(before))
    in_file_order = _changes_in_file_order(original)

    saved = scenario_text(edited, original)

    body = saved.removeprefix(BOM)
    assert saved.startswith(BOM) == original.startswith(BOM)
    assert parse_scenario(body) == edited
    if "\r\n" in original:
        assert body.count("\n") == body.count("\r\n"), "a CRLF file keeps CRLF on every line"
    else:
        assert "\r\n" not in body.replace('\\r"', "")
    for comment, entry in file.comments.items():
        if entry is not None and in_file_order[entry] in removed:
            continue
        assert comment in saved, f"lost {comment!r}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mine.toml"
        path.write_bytes(original.encode("utf-8"))
        write_scenario(edited, path)
        assert read_scenario(path) == edited
        assert path.read_bytes().decode("utf-8") == saved


def _changes_in_file_order(text: str) -> list[tuple[str, str]]:
    import tomlkit

    return [(str(c["from"]), str(c["parameter"])) for c in tomlkit.parse(text.removeprefix(BOM)).get("changes", [])]


HEADER_ON_THE_LAST_LINE = (
    '[parameters]\nru_fire_rate = 20000\n\n[[changes]]\nfrom = "2024-01"\nparameter = "ru_fire_rate"\n'
)


@pytest.mark.parametrize(
    "last_line",
    ["value = 500", "value = 500 # halved", "value = 500\n# the end", "value = 500\n\t"],
    ids=["value", "value and comment", "comment line", "spaces"],
)
def test_a_change_added_to_a_file_without_a_final_newline_starts_on_its_own_line(last_line: str) -> None:
    original = HEADER_ON_THE_LAST_LINE + last_line
    added = parse_scenario(original).with_changes(
        [*parse_scenario(original).changes, Change("2024-06", "ru_fire_rate", 700)]
    )

    saved = scenario_text(added, original)

    assert parse_scenario(saved) == added
    assert f'{last_line}\n[[changes]]\nfrom = "2024-06"' in saved


def test_a_crlf_file_with_a_byte_order_mark_keeps_both(tmp_path: Path) -> None:
    path = tmp_path / "windows.toml"
    path.write_bytes(BOM.encode() + b'name = "Win" # mine\r\n[parameters]\r\nru_fire_rate = 20000\r\n')
    edited = read_scenario(path).with_changes([Change("2024-01", "ru_fire_rate", 500)]).with_value("nk_reserve", 1000)

    write_scenario(Scenario(**{**_fields(edited), "notes": "two\nlines\n"}), path)

    data = path.read_bytes()
    assert data.startswith(BOM.encode())
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b'name = "Win" # mine\r\n' in data
    assert read_scenario(path).notes == "two\nlines\n"


def test_a_save_that_would_not_read_back_is_refused_and_the_file_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomlkit

    path = tmp_path / "mine.toml"
    path.write_text('name = "Mine"\n[parameters]\nru_fire_rate = 20000\n')
    before = path.read_bytes()
    real_dumps = tomlkit.dumps
    monkeypatch.setattr(tomlkit, "dumps", lambda document: real_dumps(document).replace("20000", "2000"))

    with pytest.raises(ScenarioError) as excinfo:
        write_scenario(read_scenario(path).with_value("nk_reserve", 1000), path)

    assert path.read_bytes() == before
    [line] = excinfo.value.lines()
    assert re.fullmatch(rf"{re.escape(str(path))}: not saved: .*would not read back.*values would differ.*", line)
