"""Shared test helpers: a Hypothesis strategy for random valid scenarios, and a real terminal.

The strategy is handed out by a session fixture (``scenario_strategy``); a test draws from it
with ``data.draw(scenario_strategy())`` under ``@given(data=st.data())``. The ``terminal``
fixture is a tmux server of the test's own (see ``tmux_terminal``), closed after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from tmux_terminal import Terminal

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.months import format_month, parse_month
from ammoflow.scenarios.model.scenario import MAX_MONTHS, Change, Scenario

FIRST_START = parse_month("2000-01")
LAST_START = parse_month("2030-12")
CHANGING_KEYS = tuple(p.key for p in registry.PARAMETERS if p.changes_over_time)
# Keys that take their own path through the engine get drawn more often than 1 in 15.
SPECIAL_KEYS = ("nk_reserve", "transit_months")


def parameter_values(key: str) -> st.SearchStrategy[float]:
    """A value inside the slider range, with the range's edges and the default drawn often."""
    p = registry.BY_KEY[key]
    values = st.one_of(
        st.sampled_from([float(p.low), float(p.high), float(p.default)]),
        st.floats(p.low, p.high, allow_nan=False, allow_infinity=False),
    )
    if p.integer:
        values = values.map(lambda v: float(round(v)))
    return values


def horizons() -> st.SearchStrategy[int]:
    """Months in the horizon: mostly short (fast), with both ends of 1..240 always reachable."""
    return st.one_of(
        st.sampled_from([1, 2, MAX_MONTHS]),
        st.integers(1, 36),
        st.integers(1, MAX_MONTHS),
    )


# Text a person might type on one line: any unicode (control characters too, but no line
# break), with the pieces TOML must escape or quote drawn often.
_fragment = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=8
) | st.sampled_from(['"', "'", "\\", "\t", '"""', "'''", "é", "😀", "# not a comment", "key = 1", "[parameters]"])
single_line_text = st.lists(_fragment, max_size=4).map("".join)
# Multi-line text as an editor leaves it: lines ending in a newline.
multi_line_text = st.lists(single_line_text, min_size=2, max_size=4).map(lambda lines: "\n".join(lines) + "\n")


@st.composite
def valid_scenarios(draw: Any, *, texts: bool = False, max_changes: int = 4) -> Scenario:
    """A random valid scenario: every value in range, 0..max_changes changes over time."""
    values = {key: draw(parameter_values(key)) for key in registry.KEYS}
    start = format_month(draw(st.integers(FIRST_START, LAST_START)))
    months = draw(horizons())
    first = parse_month(start)
    count = draw(st.integers(0, max_changes))
    changes: dict[tuple[str, str], Change] = {}
    for _ in range(count):
        month = format_month(first + draw(st.integers(0, months - 1)))
        key = draw(st.one_of(st.sampled_from(SPECIAL_KEYS), st.sampled_from(CHANGING_KEYS)))
        if (month, key) not in changes:
            over = 0 if registry.BY_KEY[key].integer else draw(st.sampled_from([0, 0, 1, 3, 12]) | st.integers(0, 60))
            changes[(month, key)] = Change(month, key, draw(parameter_values(key)), over)
    fields: dict[str, Any] = {}
    if texts:
        fields = {
            "name": draw(single_line_text.filter(bool)),
            "description": draw(single_line_text | multi_line_text),
            "notes": draw(st.just("") | single_line_text | multi_line_text),
        }
    return Scenario(start=start, months=months, values=values, changes=tuple(changes.values()), **fields)


@pytest.fixture(scope="session")
def scenario_strategy() -> Callable[..., st.SearchStrategy[Scenario]]:
    """``valid_scenarios`` itself: call it (optionally with texts=True) and draw from the result."""
    return valid_scenarios


@pytest.fixture(scope="session")
def value_strategy() -> Callable[[str], st.SearchStrategy[float]]:
    """``parameter_values``: in-range values of one parameter, edges drawn often."""
    return parameter_values


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A tmux server of the test's own, run in ``tmp_path/work`` with its state in ``tmp_path/state``."""
    work = tmp_path / "work"
    work.mkdir()
    term = Terminal(work, tmp_path / "state")
    yield term
    term.close()
