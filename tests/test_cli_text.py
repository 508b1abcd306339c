"""Text from files and arguments cannot drive the terminal: the real program, given crafted files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_cli import ammoflow

from ammoflow.scenarios.model.text import excerpt, visible

# What a terminal obeys or reorders: C0 but the newline, DEL, C1 (CSI is U+009B), line and
# paragraph separators, bidi embeddings, overrides and isolates.
OBEYED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

CLEAR_AND_LIE = "\x1b[2J\x1b[Hfake.toml: ok\n"
TITLE = "\x1b]0;owned\x07"
NAME = "[red]E[/][link=x]y[/link]\x1b]0;o\x07\u009b2J\u202ea\u2028b"
NAME_SHOWN = ("[red]E[/]", "[link=x]y[/link]", "\\x1b]0;o\\x07", "\\x9b2J", "\\u202ea", "\\u2028b")
DESCRIPTION = "Looks fine\x1b[2K\rok\u2029\x7f\u0085"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, control characters escaped as TOML wants them."""
    escaped = "".join(
        f"\\u{ord(c):04X}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c
        for c in text.replace("\\", "\\\\").replace('"', '\\"')
    )
    return f'"{escaped}"'


def assert_inert(text: str) -> None:
    """Nothing in ``text`` a terminal would act on; lines are only split by newlines."""
    found = OBEYED.findall(text)
    assert not found, f"raw control characters {found!r} in {text!r}"


def test_a_crafted_start_cannot_clear_the_screen_or_fake_a_result(tmp_path: Path) -> None:
    (tmp_path / "evil.toml").write_text(f'name = "Evil"\nstart = {toml_string(CLEAR_AND_LIE)}\n', encoding="utf-8")
    done = ammoflow("validate", "evil.toml", cwd=tmp_path)
    assert done.returncode == 1
    assert_inert(done.stdout + done.stderr)
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("evil.toml:2: start: "), lines
    assert "\\x1b[2J\\x1b[Hfake.toml: ok\\n" in lines[0]
    assert not any(line.startswith("fake.toml") for line in lines)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f"[parameters]\n{toml_string(TITLE)} = 1\n", 3),  # an unknown key
        (f"[parameters]\nru_fire_rate = {toml_string('12' + CLEAR_AND_LIE)}\n", 4),  # a value, with a newline
        (f'[[changes]]\nfrom = {toml_string("2024-01" + TITLE)}\nparameter = "ru_fire_rate"\nvalue = 1\n', 4),
        (f'[[changes]]\nfrom = "2024-01"\nparameter = {toml_string(NAME)}\nvalue = 1\n', 5),
    ],
    ids=["unknown key", "value with a newline", "change month", "change parameter"],
)
def test_each_problem_is_one_line_with_its_place_and_no_control_characters(
    tmp_path: Path, body: str, line: int
) -> None:
    (tmp_path / "evil.toml").write_text(f'name = "Evil"\nmonths = 12\n{body}', encoding="utf-8")
    for command in (("validate", "evil.toml"), ("run", "evil.toml")):
        done = ammoflow(*command, cwd=tmp_path)
        assert done.returncode == 1
        assert_inert(done.stdout + done.stderr)
        problems = [text for text in (done.stdout + done.stderr).splitlines() if "evil.toml" in text]
        assert len(problems) == 1, done
        assert f"evil.toml:{line}: " in problems[0]


def crafted_scenario(folder: Path) -> Path:
    path = folder / "crafted.toml"
    path.write_text(
        f"name = {toml_string(NAME)}\ndescription = {toml_string(DESCRIPTION)}\nmonths = 12\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("run", "crafted.toml"),
        ("summary", "crafted.toml"),
        ("diff", "crafted.toml", "baseline"),
        ("uncertainty", "crafted.toml", "--runs", "20"),
        ("sensitivity", "crafted.toml", "--figure", "total_shortfall"),
    ],
    ids=lambda command: command[0],
)
def test_a_crafted_name_is_shown_for_what_it_is(tmp_path: Path, command: tuple[str, ...]) -> None:
    crafted_scenario(tmp_path)
    done = ammoflow(*command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_inert(done.stdout + done.stderr)
    # The markup is shown as typed, not obeyed; the control characters are written out
    # (a table may wrap the name, or cut it short in a narrow column).
    squashed = "".join(done.stdout.split())
    assert "[red]E" in squashed
    if command[0] != "diff":
        assert all(piece in squashed for piece in NAME_SHOWN), done.stdout
    if command[0] == "summary":
        assert "Looksfine\\x1b[2K\\rok\\u2029\\x7f\\x85" in squashed


def test_a_file_name_with_control_characters_is_shown_written_out(tmp_path: Path) -> None:
    name = "odd\x1b[2J\u202e.toml"
    (tmp_path / name).write_text('name = "Odd"\n', encoding="utf-8")
    done = ammoflow("validate", name, cwd=tmp_path)
    assert done.returncode == 0
    assert_inert(done.stdout + done.stderr)
    assert done.stdout == "odd\\x1b[2J\\u202e.toml: ok\n"


def test_an_unknown_preset_typed_with_an_escape_is_echoed_written_out() -> None:
    done = ammoflow("run", TITLE + "base\nline")
    assert done.returncode == 1
    assert_inert(done.stderr)
    assert len(done.stderr.splitlines()) == 1
    assert "\\x1b]0;owned\\x07base\\nline" in done.stderr


def test_observation_claimants_are_shown_written_out(tmp_path: Path) -> None:
    observations = tmp_path / "observations.csv"
    observations.write_text(
        "date,metric,value,qualifier,claimant,reported_by,note\n"
        '2024-02-23,cumulative_containers,6700,over,"[bold]Me\x1b]0;owned\x07",press,\n',
        encoding="utf-8",
    )
    for command in (
        ("summary", "baseline", "--observations", str(observations)),
        ("fit", "baseline", "--parameter", "containers_per_month", "--observations", str(observations)),
    ):
        done = ammoflow(*command)
        assert done.returncode == 0, done.stderr
        assert_inert(done.stdout + done.stderr)
        assert "[bold]Me\\x1b]0;owned\\x07" in done.stdout.replace("\n", "")


def test_an_unknown_qualifier_is_shown_written_out_in_its_message(tmp_path: Path) -> None:
    observations = tmp_path / "observations.csv"
    observations.write_text(
        "date,metric,value,qualifier\n2024-02-23,cumulative_containers,6700,[red]over\x1b[31m\n", encoding="utf-8"
    )
    done = ammoflow("summary", "baseline", "--observations", str(observations))
    assert done.returncode == 1
    assert_inert(done.stderr)
    assert f'{observations}:2: unknown qualifier "[red]over\\x1b[31m"' in done.stderr


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain, accents é and 中文 stay", "plain, accents é and 中文 stay"),
        ("\x1b[31m", "\\x1b[31m"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x7f\x9b\x85", "\\x00\\x7f\\x9b\\x85"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        (
            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
            "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069",
        ),
    ],
)
def test_visible_writes_out_what_a_terminal_would_obey(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert_inert(visible(raw))


def test_an_excerpt_of_a_long_text_is_short_and_says_how_long() -> None:
    shown = excerpt("\x1b" + "9" * 5000)
    assert_inert(shown)
    assert shown.startswith("\\x1b999") and shown.endswith("(5,001 characters)") and len(shown) < 70


def test_a_change_month_with_a_line_separator_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    (tmp_path / "sep.toml").write_text(
        f'name = "Sep"\n[[changes]]\nfrom = {toml_string("2024-01" + chr(0x2028))}\n'
        'parameter = "ru_fire_rate"\nvalue = 30000\n',
        encoding="utf-8",
    )
    done = ammoflow("diff", "baseline", "sep.toml", cwd=tmp_path)
    assert_inert(done.stdout + done.stderr)  # refused with file:line, or shown written out
    assert "2024-01\\u2028" in done.stdout + done.stderr
