"""Scenario files: round trips, saving over hand-written files, atomic writes, bad files, presets."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.files.scenario_toml import (
    FORMAT_VERSION,
    parse_scenario,
    read_scenario,
    scenario_text,
    write_atomic,
    write_scenario,
)
from ammoflow.scenarios.model.errors import ScenarioError
from ammoflow.scenarios.model.figures import projected_at
from ammoflow.scenarios.model.observations import Observation
from ammoflow.scenarios.model.scenario import Change, Scenario, baseline

ScenarioStrategy = Callable[..., st.SearchStrategy[Scenario]]
PRESETS = ["baseline", "nk-cutback-2025", "seed-article", "us-state-dept"]

HAND_WRITTEN = """\
# My scenario: what if Russia fires harder?
# Sources are in my notebook.
name = "Harder firing"
months = 36   # three years is enough
start = "2024-01"
description = "Fire rate up by half."

[parameters]
# I trust NATO more than anyone
ru_fire_rate = 30_000 # NATO, March 2024
containers_per_month = 1100
nk_reserve = 2_000_000 # a guess

# Deliveries halve from 2025.
[[changes]]
from = "2025-01"
parameter = "containers_per_month"  # HUR
value = 500 # halved
"""


def keys_in_order(text: str) -> list[str]:
    return re.findall(r"^\s*([A-Za-z0-9_]+)\s*=", text, flags=re.MULTILINE)


def comments_in_order(text: str) -> list[str]:
    """The comments of a file we wrote by hand (no '#' inside its strings)."""
    return re.findall(r"#.*$", text, flags=re.MULTILINE)


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def is_subsequence(small: list[str], big: list[str]) -> bool:
    items = iter(big)
    return all(any(item == wanted for item in items) for wanted in small)


def write(tmp_path: Path, content: str | bytes, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- round trips ---------------------------------------------------------------------------


def test_baseline_round_trips() -> None:
    text = scenario_text(baseline())
    assert parse_scenario(text) == baseline()
    assert re.search(rf"^format = {FORMAT_VERSION}$", text, flags=re.MULTILINE)


def test_a_new_file_lists_every_parameter_with_its_unit() -> None:
    text = scenario_text(baseline().with_value("ru_fire_rate", 25_500))
    assert "ru_fire_rate = 25_500 # rounds/day" in text
    assert "return_containers_ratio = 1.3 # ratio" in text
    assert "transit_months = 1 # months" in text


def test_a_scenario_with_changes_round_trips() -> None:
    scenario = baseline().with_changes(
        [Change("2025-01", "containers_per_month", 500), Change("2024-03", "return_containers_ratio", 1.05)]
    )
    text = scenario_text(scenario)
    assert text.count("[[changes]]") == 2
    assert parse_scenario(text) == scenario


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_scenarios_round_trip(data: st.DataObject, scenario_strategy: ScenarioStrategy) -> None:
    """Names, descriptions and notes with quotes, backslashes, unicode and line breaks survive."""
    scenario = data.draw(scenario_strategy(texts=True))
    assert parse_scenario(scenario_text(scenario)) == scenario


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_saving_any_scenario_over_a_hand_written_file_reads_back_as_that_scenario(
    data: st.DataObject, scenario_strategy: ScenarioStrategy
) -> None:
    scenario = data.draw(scenario_strategy(texts=True))
    text = scenario_text(scenario, HAND_WRITTEN)
    assert parse_scenario(text) == scenario
    assert is_subsequence(comment_lines(HAND_WRITTEN), text.splitlines())


def test_multi_line_notes_without_a_final_newline_round_trip() -> None:
    scenario = Scenario(name="x", notes="first line\nsecond line")
    assert parse_scenario(scenario_text(scenario)).notes == "first line\nsecond line"


def test_writing_and_reading_a_file_gives_the_same_scenario(tmp_path: Path) -> None:
    scenario = baseline().with_value("nk_reserve", 2_500_000).with_changes([Change("2024-06", "ru_fire_rate", 30_000)])
    path = tmp_path / "mine.toml"
    write_scenario(scenario, path)
    assert read_scenario(path) == scenario


# -- saving over a hand-written file -------------------------------------------------------------


def test_saving_keeps_comments_and_key_order_and_writes_the_new_value(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    scenario = read_scenario(path).with_value("ru_fire_rate", 35_000).with_value("nk_reserve", 3_000_000)
    write_scenario(scenario, path)
    saved = path.read_text(encoding="utf-8")

    assert comments_in_order(saved) == comments_in_order(HAND_WRITTEN)
    assert is_subsequence(keys_in_order(HAND_WRITTEN), keys_in_order(saved))
    assert "ru_fire_rate = 35_000 # NATO, March 2024" in saved  # the new value keeps its comment
    assert "nk_reserve = 3_000_000 # a guess" in saved
    assert "containers_per_month = 1100\n" in saved  # untouched lines stay as written
    assert "months = 36   # three years is enough" in saved
    assert re.search(rf"^format = {FORMAT_VERSION}$", saved, flags=re.MULTILINE)  # the version is written
    assert read_scenario(path) == scenario


def test_saving_an_unchanged_file_changes_nothing(tmp_path: Path) -> None:
    for name in PRESETS:
        original = presets.path_of(name).read_text(encoding="utf-8")
        assert scenario_text(presets.load(name), original) == original, name


def test_a_parameter_left_out_is_added_only_when_it_differs_from_its_default(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    scenario = read_scenario(path).with_value("ru_production", 300_000)
    write_scenario(scenario, path)
    saved = path.read_text(encoding="utf-8")
    assert "ru_production = 300_000 # rounds/month" in saved
    assert "ru_other_imports" not in saved
    assert read_scenario(path) == scenario


def test_a_new_change_is_added_to_a_hand_written_file(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    scenario = read_scenario(path)
    scenario = scenario.with_changes([*scenario.changes, Change("2025-06", "ru_fire_rate", 40_000)])
    write_scenario(scenario, path)
    saved = path.read_text(encoding="utf-8")
    assert saved.count("[[changes]]") == 2
    assert "# My scenario: what if Russia fires harder?" in saved
    assert read_scenario(path) == scenario


def test_editing_one_change_keeps_the_comments_on_the_changes(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    scenario = read_scenario(path)
    scenario = scenario.with_changes([*scenario.changes, Change("2025-06", "ru_fire_rate", 40_000)])
    write_scenario(scenario, path)
    saved = path.read_text(encoding="utf-8")
    assert "# HUR" in saved
    assert "# halved" in saved


def test_a_file_without_a_parameters_table_gets_one_after_its_changes(tmp_path: Path) -> None:
    text = 'name = "Only changes"\n\n[[changes]]\nfrom = "2025-01"\nparameter = "ru_fire_rate"\nvalue = 30_000\n'
    path = write(tmp_path, text)
    scenario = read_scenario(path).with_value("nk_reserve", 0)
    write_scenario(scenario, path)
    assert read_scenario(path) == scenario


# -- atomic writes --------------------------------------------------------------------------------


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = write(tmp_path, HAND_WRITTEN)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(ScenarioError) as excinfo:
        write_scenario(read_scenario(path).with_value("ru_fire_rate", 1), path)
    monkeypatch.undo()
    assert excinfo.value.lines() == [f"{path}: cannot write: No space left on device; the file was left as it was"]
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert leftovers(tmp_path, {"scenario.toml"}) == []


def test_a_save_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    path.chmod(0o640)
    write_scenario(read_scenario(path).with_value("ru_fire_rate", 1), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path, {"scenario.toml"}) == []


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.toml", "name = 'x'\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o644


def test_writing_into_a_missing_folder_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot write here"):
        write_atomic(tmp_path / "nowhere" / "x.toml", "")


# -- bad files: every problem as `file:line: message` ------------------------------------------------

CHANGE = '[[changes]]\nfrom = "{month}"\nparameter = "{key}"\nvalue = {value}\n'

BAD_FILES = {
    "toml syntax": ('name = "x"\nmonths = \n', ["{f}:2:10: not valid TOML: Unexpected character: '\\n'"]),
    "unclosed header": ('name = "x"\n[parameters\n', ["{f}:2:12: not valid TOML: Unexpected character: '\\n'"]),
    "duplicate top-level key": ("months = 1\nmonths = 2\n", ['{f}:2:1: not valid TOML: Key "months" already exists.']),
    "unknown top-level key": ('name = "x"\nmonth = 12\n', ['{f}:2: unknown key "month"; did you mean "months"?']),
    "unknown parameter": (
        "[parameters]\nru_fire_rte = 5\n",
        ['{f}:2: unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?'],
    ),
    "text for a number": (
        '[parameters]\n\nru_fire_rate = "20000"\n',
        ["{f}:3: ru_fire_rate must be a number (rounds/day), not text '20000'"],
    ),
    "bool for a number": (
        "[parameters]\nru_fire_rate = true\n",
        ["{f}:2: ru_fire_rate must be a number (rounds/day), not true"],
    ),
    "number for a name": ("name = 5\n", ["{f}:1: name must be text in quotes, not 5"]),
    "number for a start": (
        "start = 2023\n",
        ['{f}:1: start must be a month in quotes, e.g. start = "2023-09", not 2023'],
    ),
    "out of range": (
        "[parameters]\nru_fire_rate = 90000\n",
        ["{f}:2: ru_fire_rate = 90,000 is outside its range 0 to 80,000 rounds/day"],
    ),
    "not finite": ("[parameters]\nru_fire_rate = nan\n", ["{f}:2: ru_fire_rate must be a finite number, not nan"]),
    "fractional transit": (
        "[parameters]\ntransit_months = 1.5\n",
        ["{f}:2: transit_months must be a whole number of months, not 1.5"],
    ),
    "parameters not a table": (
        "parameters = 5\n",
        ["{f}:1: parameters must be a table: a [parameters] section of key = value lines"],
    ),
    "change of unknown parameter": (
        CHANGE.format(month="2024-01", key="ru_fire_rte", value=5),
        ['{f}:3: change 1: unknown parameter "ru_fire_rte"; did you mean "ru_fire_rate"?'],
    ),
    "change outside horizon": (
        'start = "2023-09"\nmonths = 12\n\n' + CHANGE.format(month="2025-01", key="ru_fire_rate", value=5),
        ["{f}:5: change 1: month 2025-01 is outside the horizon; changes may start 2023-09 to 2024-08"],
    ),
    "change before start": (
        CHANGE.format(month="2023-08", key="ru_fire_rate", value=5),
        ["{f}:2: change 1: month 2023-08 is outside the horizon; changes may start 2023-09 to 2027-08"],
    ),
    "change of a starting stock": (
        CHANGE.format(month="2024-01", key="nk_stock_initial", value=5),
        ["{f}:3: change 1: nk_stock_initial is a starting stock and cannot change over time"],
    ),
    "change value out of range": (
        CHANGE.format(month="2024-01", key="ru_fire_rate", value=100_000),
        ["{f}:4: change 1: ru_fire_rate = 100,000 is outside its range 0 to 80,000 rounds/day"],
    ),
    "change missing a field": (
        '[[changes]]\nfrom = "2024-01"\nparameter = "ru_fire_rate"\n',
        ["{f}:1: change 1: missing value"],
    ),
    "change with an unknown field": (
        CHANGE.format(month="2024-01", key="ru_fire_rate", value=5) + "valu = 3\n",
        ['{f}:5: change 1: unknown key "valu"; did you mean "value"?'],
    ),
    "change with a bad month": (
        CHANGE.format(month="2024-1", key="ru_fire_rate", value=5),
        ['{f}:2: change 1: "2024-1" is not a month; write it as YYYY-MM, e.g. 2024-02'],
    ),
    "change value as text": (
        CHANGE.format(month="2024-01", key="ru_fire_rate", value='"5"'),
        ["{f}:4: change 1: value must be a number, not text '5'"],
    ),
    "duplicate change": (
        CHANGE.format(month="2024-01", key="ru_fire_rate", value=5)
        + "\n"
        + CHANGE.format(month="2024-01", key="ru_fire_rate", value=6),
        ["{f}:6: change 2: a second change of ru_fire_rate from 2024-01; keep one"],
    ),
    "second change wrong (changes are sorted inside)": (
        'start = "2023-09"\n'
        + CHANGE.format(month="2025-01", key="ru_fire_rate", value=5)
        + CHANGE.format(month="2024-01", key="ru_fire_rate", value=100_000),
        ["{f}:9: change 2: ru_fire_rate = 100,000 is outside its range 0 to 80,000 rounds/day"],
    ),
    "changes not a list": ("changes = 5\n", ["{f}:1: changes must be a list of [[changes]] sections"]),
    "months zero": ("months = 0\n", ["{f}:1: months = 0 is outside its range 1 to 240 months"]),
    "months too many": ("months = 241\n", ["{f}:1: months = 241 is outside its range 1 to 240 months"]),
    "bad start month": (
        'start = "2023-13"\n',
        ['{f}:1: start: "2023-13" is not a month; the month must be 01 to 12'],
    ),
    "start not YYYY-MM": (
        'start = "Sept 2023"\n',
        ['{f}:1: start: "Sept 2023" is not a month; write it as YYYY-MM, e.g. 2024-02'],
    ),
    "newer format": (
        "format = 2\n",
        ["{f}:1: format 2 is newer than this ammoflow reads (format 1); upgrade ammoflow"],
    ),
    "format zero": ("format = 0\n", ["{f}:1: format 0 is not a scenario format (use 1)"]),
    "several problems, in line order": (
        'name = "x"\nmonths = 0\n[parameters]\nru_fire_rate = 90000\nnk_reserve = -1\nfoo = 1\n',
        [
            "{f}:2: months = 0 is outside its range 1 to 240 months",
            "{f}:4: ru_fire_rate = 90,000 is outside its range 0 to 80,000 rounds/day",
            "{f}:5: nk_reserve = -1 is outside its range 0 to 20,000,000 rounds",
            '{f}:6: unknown parameter "foo"',
        ],
    ),
    "not UTF-8": (b'name = "x"\nnotes = "caf\xe9"\n', ["{f}:2: not UTF-8 text (is this a scenario file?)"]),
    "over 1 MiB": (b"#" * (1024 * 1024 + 1), ["{f}: file is 1,048,577 bytes; a scenario file may be at most 1 MiB"]),
}


@pytest.mark.parametrize(("content", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_reports_each_problem_at_its_line(tmp_path: Path, content: str | bytes, expected: list[str]) -> None:
    path = write(tmp_path, content, "bad.toml")
    with pytest.raises(ScenarioError) as excinfo:
        read_scenario(path)
    assert excinfo.value.lines() == [line.format(f=path) for line in expected]
    assert str(excinfo.value) == "\n".join(excinfo.value.lines())


def test_a_missing_file_and_a_folder_are_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as missing:
        read_scenario(tmp_path / "missing.toml")
    assert missing.value.lines() == [f"{tmp_path / 'missing.toml'}: file not found"]
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ScenarioError) as folder:
        read_scenario(tmp_path / "folder.toml")
    assert folder.value.lines() == [f"{tmp_path / 'folder.toml'}: is a folder, not a scenario file"]


def test_a_file_of_exactly_1_mib_is_read(tmp_path: Path) -> None:
    assert read_scenario(write(tmp_path, b"#" * (1024 * 1024))) == Scenario()


def test_an_empty_file_is_the_default_scenario(tmp_path: Path) -> None:
    """Everything left out takes its default, so an empty file is docs/model.md's baseline assumptions."""
    scenario = read_scenario(write(tmp_path, ""))
    assert scenario == Scenario()
    assert (scenario.start, scenario.months, dict(scenario.values)) == ("2023-09", 48, dict(baseline().values))


def test_text_without_a_file_names_the_line() -> None:
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario("\nmonths = 0\n")
    assert excinfo.value.lines() == ["line 2: months = 0 is outside its range 1 to 240 months"]


def test_a_parameter_written_twice_is_a_readable_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[parameters]\nru_fire_rate = 20000\nru_fire_rate = 30000\n")
    with pytest.raises(ScenarioError) as excinfo:
        read_scenario(path)
    assert excinfo.value.lines()[0].startswith(f"{path}:3")


def test_a_fractional_month_count_is_named_in_the_message(tmp_path: Path) -> None:
    path = write(tmp_path, "months = 12.5\n")
    with pytest.raises(ScenarioError) as excinfo:
        read_scenario(path)
    assert excinfo.value.lines() == [f"{path}:1: months must be a whole number from 1 to 240, not 12.5"]


def test_a_problem_is_reported_at_the_key_not_at_a_look_alike_line_in_the_notes(tmp_path: Path) -> None:
    path = write(tmp_path, 'notes = """\nmonths = 12 was my first guess\n"""\nmonths = 0\n')
    with pytest.raises(ScenarioError) as excinfo:
        read_scenario(path)
    assert excinfo.value.lines() == [f"{path}:4: months = 0 is outside its range 1 to 240 months"]


def test_a_file_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, b'\xef\xbb\xbfname = "From Windows"\n')
    assert read_scenario(path).name == "From Windows"


FUZZ_HEADERS = ["[parameters]", "[[changes]]", "[changes]", "[parameters.x]", "# c", "", "[x]"]
FUZZ_KEYS = ["format", "name", "start", "months", "notes", "from", "parameter", "value", "x", *baseline().values]
FUZZ_VALUES = [
    *('"2024-01"', '"ru_fire_rate"', '"nk_reserve"', '"x"', '"""\nx\n"""'),
    *("true", "12", "0", "1.5", "-1", "1e9", "nan", "1979-05-27"),
    *("[1]", "{}", "{ a = 1 }", "{ ru_fire_rate = 5 }"),
]
toml_lines = st.sampled_from(FUZZ_HEADERS) | st.tuples(st.sampled_from(FUZZ_KEYS), st.sampled_from(FUZZ_VALUES)).map(
    " = ".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(toml_lines, max_size=10))
def test_any_toml_either_loads_or_gives_located_problems(lines: list[str]) -> None:
    """Whatever a person writes, the answer is a scenario or `file:line: message` lines, never a crash."""
    text = "\n".join(lines) + "\n"
    try:
        scenario = parse_scenario(text, "f.toml")
    except ScenarioError as exc:
        assert exc.lines()
        assert all(line.startswith("f.toml") for line in exc.lines())
        return
    assert parse_scenario(scenario_text(scenario, text)) == scenario


# -- presets -------------------------------------------------------------------------------------


def test_the_four_presets_are_shipped_baseline_first() -> None:
    assert presets.names() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_documents_itself(name: str) -> None:
    scenario = read_scenario(presets.path_of(name))
    assert scenario == presets.load(name)
    assert scenario.name and scenario.description and scenario.notes.strip()
    text = presets.path_of(name).read_text(encoding="utf-8")
    assert text.startswith("#"), "a preset opens with a comment saying what it is"
    assert re.search(rf"^format = {FORMAT_VERSION}$", text, flags=re.MULTILINE)
    project(scenario)


def test_the_baseline_preset_is_the_model_baseline() -> None:
    preset, model = presets.load("baseline"), baseline()
    assert (preset.name, preset.description, preset.start, preset.months) == (
        model.name,
        model.description,
        model.start,
        model.months,
    )
    assert preset.values == model.values
    assert preset.changes == ()


def observed(day: str, metric: str, value: float) -> Observation:
    from datetime import date

    return Observation(date.fromisoformat(day), metric, value)


def test_seed_article_preset_gives_about_6700_containers_and_over_3m_shells_by_2024_02_23() -> None:
    scenario = presets.load("seed-article")
    frame = project(scenario)
    containers = projected_at(frame, scenario, observed("2024-02-23", "cumulative_containers", 6_700)).projected
    rounds = projected_at(frame, scenario, observed("2024-02-23", "cumulative_rounds", 3_000_000)).projected
    assert containers == pytest.approx(6_700, rel=0.03)
    assert rounds is not None and rounds > 3_000_000
    # Every container holds 152 mm shells in this reading, so rounds are shells.
    assert frame["rockets_122_shipped"].sum() == 0


def test_us_state_dept_preset_gives_over_10000_containers_by_2024_02_29() -> None:
    scenario = presets.load("us-state-dept")
    frame = project(scenario)
    containers = projected_at(frame, scenario, observed("2024-02-29", "cumulative_containers", 10_000)).projected
    assert containers is not None and containers > 10_000


def test_nk_cutback_preset_more_than_halves_shipments_from_2025_01() -> None:
    scenario = presets.load("nk-cutback-2025")
    rate = dict(zip(scenario.month_labels(), scenario.series("containers_per_month"), strict=True))
    assert rate["2025-01"] < rate["2024-12"] / 2
    assert all(rate[month] < rate["2024-12"] / 2 for month in scenario.month_labels() if month >= "2025-01")
    shipped = dict(project(scenario).select("month", "containers_shipped").iter_rows())
    assert shipped["2025-01"] < shipped["2024-12"] / 2


def test_saving_replaces_a_file_that_is_not_a_valid_scenario(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('[tool]\nsetting = 1\n[parameters]\nru_fire_rate = "fast"\n')
    write_scenario(baseline().with_value("ru_fire_rate", 25_000), path)
    assert read_scenario(path).values["ru_fire_rate"] == 25_000
    assert "[tool]" not in path.read_text()


def test_saving_as_another_file_replaces_it_instead_of_merging(tmp_path: Path) -> None:
    path = tmp_path / "theirs.toml"
    path.write_text('# their notes\nname = "Theirs"\n[parameters]\nnk_reserve = 2_000_000\n')
    write_scenario(baseline(), path, replace=True)
    assert read_scenario(path) == baseline()
    assert "their notes" not in path.read_text()


def test_the_largest_seed_saves_and_reads_back_and_one_past_it_is_refused(tmp_path: Path) -> None:
    import attrs

    from ammoflow.scenarios.model.scenario import MAX_SEED

    kept = attrs.evolve(baseline(), uncertainty=attrs.evolve(baseline().uncertainty, seed=MAX_SEED))
    path = tmp_path / "seed.toml"
    write_scenario(kept, path)
    assert read_scenario(path).uncertainty.seed == MAX_SEED

    with pytest.raises(ScenarioError, match="seed must be a whole number from 0 to 9,223,372,036,854,775,807"):
        attrs.evolve(baseline(), uncertainty=attrs.evolve(baseline().uncertainty, seed=MAX_SEED + 1))
    path.write_text(f'name = "x"\n[uncertainty]\nseed = {MAX_SEED + 1}\n')
    with pytest.raises(ScenarioError, match=r"seed.toml:3: seed = a number of 19 digits is too large"):
        read_scenario(path)


# -- drift in [uncertainty] --------------------------------------------------------------------------


def test_drift_reads_as_a_table_or_a_list_of_keys() -> None:
    table = parse_scenario('name = "x"\n[uncertainty]\ndrift = { containers_per_month = 4, ru_fire_rate = 3 }\n')
    assert table.uncertainty.volatilities() == {"containers_per_month": 4.0, "ru_fire_rate": 3.0}
    listed = parse_scenario('name = "x"\n[uncertainty]\ndrift = ["ru_fire_rate"]\n')
    assert listed.uncertainty.volatilities() == {"ru_fire_rate": 4.0}
    section = parse_scenario('name = "x"\n[uncertainty.drift]\nru_production = 1.5  # slow\n')
    assert section.uncertainty.volatilities() == {"ru_production": 1.5}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("drift = 3", "s.toml:4: drift must be a table of parameter = percent a month, or a list of parameter names"),
        ("drift = [3]", "s.toml:4: drift must be a table of parameter = percent a month"),
        ('drift = { ru_fire_rate = "3" }', "s.toml:4: the drift of ru_fire_rate must be a number of percent a month"),
        ('drift = ["ru_fire_rat"]', 's.toml:4: unknown parameter "ru_fire_rat"; did you mean "ru_fire_rate"?'),
        ("drift = { transit_months = 1 }", "s.toml:4: transit_months cannot drift: it is a whole number"),
        ("drift = { ru_fire_rate = 80 }", "s.toml:4: the drift of ru_fire_rate = 80% a month is outside its range"),
        ("drift = { ru_fire_rate = 1e400 }", "s.toml:4: the drift of ru_fire_rate"),
    ],
)
def test_drift_a_file_gets_wrong_is_reported_at_its_line(line: str, message: str) -> None:
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario(f'name = "x"\n[uncertainty]\nseed = 1\n{line}\n', source="s.toml")
    assert any(shown.startswith(message) for shown in str(excinfo.value).splitlines()), str(excinfo.value)


def test_drift_saves_and_reads_back_in_both_forms(tmp_path: Path) -> None:
    import attrs

    for drift in (["ru_fire_rate", "containers_per_month"], {"ru_fire_rate": 2.5, "ru_production": 1}):
        scenario = attrs.evolve(baseline(), uncertainty=attrs.evolve(baseline().uncertainty, drift=drift))
        path = tmp_path / "drift.toml"
        write_scenario(scenario, path, replace=True)
        assert read_scenario(path) == scenario
        assert "drift = " in path.read_text()


def test_changing_drift_keeps_the_comments_and_order_of_the_uncertainty_table(tmp_path: Path) -> None:
    import attrs

    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "Mine"\n\n[uncertainty]\n# my settings\nseed = 4  # lucky\n'
        'drift = ["ru_fire_rate"]  # the front wanders\nruns = 200\n'
    )
    scenario = read_scenario(path)
    changed = attrs.evolve(scenario.uncertainty, drift={"ru_fire_rate": 3, "containers_per_month": 5})
    write_scenario(attrs.evolve(scenario, uncertainty=changed), path)
    text = path.read_text()
    assert "# my settings\nseed = 4  # lucky\n" in text
    assert "drift = {ru_fire_rate = 3, containers_per_month = 5}  # the front wanders\nruns = 200\n" in text
    assert read_scenario(path).uncertainty == changed
    write_scenario(attrs.evolve(scenario, uncertainty=attrs.evolve(changed, drift={})), path)
    assert "drift" not in read_scenario(path).uncertainty.drift and "drift" not in path.read_text()
    assert "seed = 4  # lucky" in path.read_text()
