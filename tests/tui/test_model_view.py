"""The model on screen: one month's pipeline whose numbers add up as docs/model.md says."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pilot_waits import settle
from textual.widgets import Static

from ammoflow.scenarios.engine.projection import project
from ammoflow.scenarios.files import presets
from ammoflow.scenarios.model.numbers import format_whole
from ammoflow.tui.app import AmmoflowApp
from ammoflow.tui.panels.model_view import ModelView, model_diagram


def ledger(text: str, section: str) -> dict[str, float]:
    """The (sign + label) -> value lines of one section of the diagram."""
    found: dict[str, float] = {}
    lines = text.splitlines()
    start = lines.index(section) + 1
    for line in lines[start:]:
        match = re.match(r"^([ +−=]) (.+?)\s+(-?[\d,]+)(\s|$)", line)
        if match is None:
            if found:
                break
            continue
        found[f"{match[1]} {match[2]}"] = float(match[3].replace(",", ""))
    return found


@pytest.mark.parametrize("preset", ["baseline", "nk-cutback-2025"])
@pytest.mark.parametrize("index", [0, 1, 20, 47])
def test_each_stock_adds_up_and_shows_the_projections_numbers(preset: str, index: int) -> None:
    scenario = presets.load(preset)
    frame = project(scenario)
    text = model_diagram(scenario, frame, index)
    assert text.startswith(frame["month"][index])
    nk = ledger(text, "NORTH KOREA")
    assert nk["+ output for Russia"] == round(frame["nk_production_russia"][index])
    assert nk["− shipped to Russia"] == round(frame["rounds_shipped"][index])
    assert nk["= stock at month end"] == round(frame["nk_stock"][index])
    assert nk["  stock at the start"] + nk["+ output for Russia"] - nk["− shipped to Russia"] == pytest.approx(
        nk["= stock at month end"], abs=2
    )
    ru = ledger(text, "RUSSIA")
    assert ru["− fired"] == round(frame["ru_fired"][index])
    assert ru["+ arrived from North Korea"] == round(frame["ru_arrivals"][index])
    total = (
        ru["  stock at the start"] + ru["+ arrived from North Korea"] + ru["+ own production"] + ru["+ other imports"]
    )
    assert total - ru["− fired"] == pytest.approx(ru["= stock at month end"], abs=3)


async def test_the_model_tab_shows_the_cursors_month() -> None:
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        diagram = app.query_one("#model-diagram", Static)
        assert str(diagram.render()).startswith("2023-09"), "no cursor: the first month"
        await pilot.press("c", "right_square_bracket")
        await settle(pilot, app)
        assert str(app.query_one("#model-diagram", Static).render()).startswith("2025-07")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (100, 30)])
async def test_the_diagram_fits_the_view_with_every_note_whole(size: tuple[int, int]) -> None:
    """No column is cut at the view's edge: a note that does not fit beside its line goes under it."""
    app = AmmoflowApp(offer_recovery=False)
    app.today = lambda: date(2025, 6, 15)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        view = app.query_one(ModelView)
        diagram = app.query_one("#model-diagram", Static)
        assert not view.show_horizontal_scrollbar
        assert diagram.region.right <= view.vertical_scrollbar.region.x
        text = str(diagram.render())
        assert max(len(line) for line in text.splitlines()) <= diagram.region.width
        result = app.explorer.result
        assert result is not None
        frame = result.frame
        containers = format_whole(float(frame["containers_shipped"][0]))
        assert f"{containers} containers" in text
        assert re.search(r"demand not fired; [\d,]+ a day wanted", text.replace("\n    ", " "))


@pytest.mark.parametrize("width", [37, 41, 54, 80, 200])
def test_notes_stand_beside_their_lines_only_when_every_one_fits(width: int) -> None:
    scenario = presets.load("baseline")
    frame = project(scenario)
    text = model_diagram(scenario, frame, 20, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    wide = model_diagram(scenario, frame, 20)
    beside = "containers" in next(line for line in text.splitlines() if line.startswith("− shipped"))
    assert beside == (max(len(line) for line in wide.splitlines()) <= width)
    # The ledger adds up whichever way the notes go.
    for section in ("NORTH KOREA", "RUSSIA"):
        assert ledger(wide, section).items() <= ledger(text, section).items()
