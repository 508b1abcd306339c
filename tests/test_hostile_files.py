"""Files that are not what they claim to be: pipes, devices, huge numbers, odd months, odd bytes.

Each gets one line naming the file (and its line where there is one) and exit status 1; none
gets a traceback, a hang or a read that never ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ammoflow.scenarios.files.observation_csv import read_observations
from ammoflow.scenarios.files.scenario_toml import parse_scenario, read_scenario
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.text import visible

HEADER = "date,metric,value,qualifier,claimant,reported_by,note\n"
# A guard so that a regression shows as a failure rather than a suite that never ends; the
# assertions are about what the program says, never about how long it took.
NO_HANG = 120


def ammoflow(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ammoflow", *args],
        capture_output=True,
        text=True,
        timeout=NO_HANG,
        env={**os.environ, **(env or {})},
    )


def one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    """What the command said (``validate`` lists problems on stdout, others on stderr)."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout + result.stderr


# -- only regular files are read, and never more than the limit ------------------------------------


def test_a_fifo_as_a_scenario_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    err = one_clean_line(ammoflow("validate", str(fifo)))
    assert f"{fifo}: is a FIFO (named pipe), not a scenario file; give the path of a regular file" in err


def test_a_fifo_as_observations_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    err = one_clean_line(ammoflow("summary", "baseline", "--observations", str(fifo)))
    assert f"{fifo}: is a FIFO (named pipe), not an observations CSV; give the path of a regular file" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_never_read() -> None:
    with pytest.raises(ScenarioError) as scenario:
        read_scenario("/dev/zero")
    assert scenario.value.lines() == [
        "/dev/zero: is a character device, not a scenario file; give the path of a regular file"
    ]
    with pytest.raises(ScenarioError) as observations:
        read_observations("/dev/zero")
    assert observations.value.lines() == [
        "/dev/zero: is a character device, not an observations CSV; give the path of a regular file"
    ]


# -- observations: counts are finite and not negative ----------------------------------------------


def test_observed_counts_that_are_not_counts_are_refused_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        HEADER + "2024-01-01,cumulative_rounds,nan,,,,\n"
        "2024-01-01,cumulative_rounds,inf,,,,\n"
        "2024-01-01,cumulative_rounds,-5,,,,\n"
        "2024-01-01,cumulative_rounds,1e999,,,,\n"
        "2024-01-01,cumulative_rounds,١٢٣,,,,\n"
        "٢٠٢٤-01-01,cumulative_rounds,5,,,,\n"
        "2024-01-01,cumulative_rounds,5,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f'{path}:2: value "nan" is not a number',
        f'{path}:3: value "inf" is not a number',
        f'{path}:4: value "-5" is negative; a count is 0 or more',
        f'{path}:5: value "1e999" is too large a number',
        f'{path}:6: value "١٢٣" is not a number',
        f'{path}:7: date "٢٠٢٤-01-01" is not a date (YYYY-MM-DD)',
    ]


def test_a_field_too_long_for_csv_is_one_line_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    row = "2024-01-01,cumulative_rounds,5,,,,"
    path.write_text(HEADER + row + "\n" + row + "x" * 200_000)
    with pytest.raises(ScenarioError) as excinfo:
        read_observations(path)
    assert excinfo.value.lines() == [
        f"{path}:3: a field is longer than 131,072 characters; is this an observations CSV?"
    ]


def test_nan_in_observations_never_reaches_json(tmp_path: Path) -> None:
    path = tmp_path / "nan.csv"
    path.write_text(HEADER + "2024-01-01,cumulative_rounds,NaN,,,,\n", encoding="utf-8")
    result = ammoflow("summary", "baseline", "--observations", str(path), "--format", "json")
    one_clean_line(result)
    assert result.stdout == ""
    assert result.stderr.strip() == f'ammoflow: {path}:2: value "NaN" is not a number'


# -- numbers no float can hold ---------------------------------------------------------------------

HUGE = "1" + "0" * 400


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario(text, "f.toml")
    return excinfo.value.lines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'name = "x"\n[parameters]\nru_fire_rate = {HUGE}\n',
            "f.toml:3: ru_fire_rate = a number of 401 digits is outside its range 0 to 80,000 rounds/day",
        ),
        (
            f'name = "x"\n[[changes]]\nfrom = "2024-01"\nparameter = "ru_fire_rate"\nvalue = -{HUGE}\n',
            "f.toml:5: change 1: ru_fire_rate = a number of 401 digits is outside its range 0 to 80,000 rounds/day",
        ),
        (
            f'name = "x"\n[uncertainty.ranges]\nru_fire_rate = [1, {HUGE}]\n',
            "f.toml:3: the range of ru_fire_rate: ru_fire_rate = a number of 401 digits "
            "is outside its range 0 to 80,000 rounds/day",
        ),
        (f"months = {HUGE}\n", "f.toml:1: months must be a whole number from 1 to 240, not a number of 401 digits"),
        (f"[uncertainty]\nruns = {HUGE}\n", "f.toml:2: runs = a number of 401 digits is too large a number"),
    ],
    ids=["parameter", "change value", "uncertainty range", "months", "runs"],
)
def test_a_whole_number_too_large_for_a_float_is_one_problem_at_its_line(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


@pytest.mark.parametrize("word", ["inf", "-inf", "nan", "+nan"])
def test_infinities_and_nan_written_in_a_file_are_refused(word: str) -> None:
    lines = problems_of(
        f'[parameters]\nru_fire_rate = {word}\n[[changes]]\nfrom = "2024-01"\nparameter = "ru_fire_rate"\n'
        f"value = {word}\n[uncertainty.ranges]\nru_fire_rate = [{word}, 1]\n"
    )
    assert {line.split(": ")[0] for line in lines if "must be a finite number" in line} == {
        "f.toml:2",
        "f.toml:6",
        "f.toml:8",
    }


def test_validate_says_a_huge_number_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(f'name = "x"\n[parameters]\nru_fire_rate = {HUGE}\n', encoding="utf-8")
    said = one_clean_line(ammoflow("validate", str(path)))
    assert f"{path}:3: ru_fire_rate = a number of 401 digits is outside its range" in said


# -- months: one strict grammar, and every month a horizon can reach ---------------------------------

CHANGE = '[[changes]]\nfrom = "{month}"\nparameter = "ru_fire_rate"\nvalue = 1\n'


@pytest.mark.parametrize("month", [" 2025-01", "2025-01 ", "2025-01\n", "٢٠٢٥-٠١", "２０２５-０１"])
def test_a_month_not_written_exactly_yyyy_mm_in_ascii_is_refused(month: str) -> None:
    text = 'name = "x"\n' + CHANGE.format(month=month.replace("\n", "\\n"))
    shown = visible(month)  # a line break is written out, so the message stays one line
    assert problems_of(text) == [f'f.toml:3: change 1: "{shown}" is not a month; write it as YYYY-MM, e.g. 2024-02']


def test_a_padded_month_cannot_slip_past_the_duplicate_check() -> None:
    text = 'name = "x"\n' + CHANGE.format(month="2025-01") + CHANGE.format(month="2025-01 ")
    assert problems_of(text) == ['f.toml:7: change 2: "2025-01 " is not a month; write it as YYYY-MM, e.g. 2024-02']


def test_a_change_late_in_a_horizon_that_reaches_past_2200_is_allowed() -> None:
    scenario = parse_scenario('start = "2200-01"\nmonths = 240\n' + CHANGE.format(month="2215-06"))
    assert scenario.end == "2219-12"
    assert [change.month for change in scenario.changes] == ["2215-06"]
    assert problems_of('start = "2200-01"\nmonths = 240\n' + CHANGE.format(month="2220-01")) == [
        "f.toml:4: change 1: month 2220-01 is outside the horizon; changes may start 2200-01 to 2219-12"
    ]
    assert problems_of('start = "2201-01"\n') == [
        'f.toml:1: start: "2201-01" is out of reach; the year must be 1900 to 2200'
    ]


# -- line numbers count only what TOML counts as a new line ----------------------------------------


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"])
def test_an_odd_line_separator_in_a_comment_does_not_shift_later_line_numbers(odd: str) -> None:
    text = f'name = "x"\n# a comment{odd}with a separator in it\r\nmonths = 0\n[parameters]\nbogus = 1\n'
    assert problems_of(text) == [
        "f.toml:3: months = 0 is outside its range 1 to 240 months",
        'f.toml:5: unknown parameter "bogus"',
    ]


@pytest.mark.parametrize("control", ["\x0c", "\x0b", "\x1c", "\x1e"])
def test_a_control_character_in_a_comment_is_reported_on_its_own_line(control: str) -> None:
    (line,) = problems_of(f'name = "x"\n# a comment{control}with a control character\nmonths = 0\n')
    assert line.startswith("f.toml:2:") and "not valid TOML" in line


# -- any file under the size limit is read in bounded time: absurd shapes are refused up front -----


def filler(line: str, size: int = 1024 * 1024 - 1024) -> str:
    """Lines made by ``line.format(i)`` until the text is about ``size`` characters."""
    lines, total, i = [], 0, 0
    while total < size:
        lines.append(line.format(i))
        total += len(lines[-1])
        i += 1
    return "".join(lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'name = "x"\n' + filler("a.b.c{:0>20} = 1\n"),
            "f.toml:202: [a.b] has 34,919 keys; no table in a scenario file has more than 200",
        ),
        (
            'name = "x"\n' + filler("[t{:0>20}]\n"),
            "f.toml:201: the top level has 43,649 keys; no table in a scenario file has more than 200",
        ),
        (
            'name = "x"\na = {' + ",".join(f"k{i} = 1" for i in range(50_000)) + "}\n",
            "f.toml:2: [a] has 50,000 keys; no table in a scenario file has more than 200",
        ),
        (
            'name = "x"\n'
            + filler('[[changes]]\nfrom = "2024-01"\nparameter = "ru_fire_rate"\nvalue = 1  # {:0>20}\n'),
            "f.toml:14402: changes holds 11,640 items; a list in a scenario file holds at most 3,600",
        ),
        (
            'name = "x"\n' + "".join(f"[t{t}]\n" + "".join(f"k{k} = 1\n" for k in range(150)) for t in range(150)),
            "f.toml:19934: over 20,000 keys and values; a scenario file holds far fewer",
        ),
        (
            'name = "x"\na = ' + "[" * 5000 + "]" * 5000 + "\n",
            "f.toml:2: nested too deeply; a scenario file nests at most 8 levels",
        ),
        (
            'name = "x"\n\nb = ' + "{c = " * 2000 + "1" + "}" * 2000 + "\n",
            "f.toml:3: nested too deeply; a scenario file nests at most 8 levels",
        ),
        (
            'name = "x"\n' + ".".join(["a"] * 20) + " = 1\n",
            "f.toml:2: nested too deeply; a scenario file nests at most 8 levels",
        ),
        (
            'name = "x"\n\n[' + ".".join(["a"] * 300_000) + "]\n",
            "f.toml:3: a key of over 64 dotted parts; a scenario file nests at most 8 levels",
        ),
        ('name = "x"\n' + "# filler\n" * 40_000 + "a = = 1\n", "f.toml:40002:5: not valid TOML: Invalid value"),
        (
            'name = "x"\n' + "\n" * (1024 * 1024 - 20),
            "f.toml:50001: 1,048,558 lines; a scenario file has at most 50,000",
        ),
        (
            'name = "x"\n' + "# filler\n" * 10_000 + "months = 1" + "0" * 5000 + "\n",
            "f.toml:10002: not valid TOML: Exceeds the limit (4300 digits) for integer string conversion: "
            "value has 5001 digits",
        ),
    ],
    ids=[
        "dotted keys",
        "tables",
        "inline table",
        "changes",
        "values",
        "arrays",
        "inline tables",
        "deep key",
        "long dotted key",
        "broken",
        "blank lines",
        "long number",
    ],
)
def test_a_file_of_absurd_shape_is_refused_in_one_line(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_a_long_run_of_dots_in_text_is_only_text() -> None:
    scenario = parse_scenario('name = "x"\nnotes = "' + "a." * 400_000 + '"\n')
    assert scenario.notes == "a." * 400_000


def test_the_largest_real_list_of_changes_is_still_read() -> None:
    changes = "".join(
        f'[[changes]]\nfrom = "{2000 + i // 12:04d}-{i % 12 + 1:02d}"\nparameter = "{key}"\nvalue = 1\n'
        for i in range(1, 240)
        for key in ("ru_fire_rate", "containers_per_month")
    )
    scenario = parse_scenario('start = "2000-01"\nmonths = 240\n' + changes)
    assert len(scenario.changes) == 478


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"])
def test_a_syntax_error_after_an_odd_separator_is_reported_at_its_own_line(odd: str) -> None:
    assert problems_of(f'name = "x"\r\n# one{odd}two{odd}three\r\nmonths = 1 2\r\n') == [
        "f.toml:3:12: not valid TOML: Unexpected character: '2'"
    ]


def test_a_huge_text_value_or_key_is_quoted_short() -> None:
    text = f'name = "x"\n[parameters]\nru_fire_rate = "{"A" * 600_000}"\n{"B" * 300_000} = 1\n'
    found = problems_of(text)
    assert [line.split(": ")[0] for line in found] == ["f.toml:3", "f.toml:4"]
    assert all(len(line) < 200 for line in found), [len(line) for line in found]
    assert "600,000 characters" in found[0] and "300,000 characters" in found[1]
