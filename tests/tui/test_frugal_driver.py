"""The explorer's driver skips a frame only when writing it again would change nothing.

Async tests: a driver is made inside a running event loop.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Size

from ammoflow.tui.driver import FrugalWriting, redraws_in_place

FRAME = "\x1b[1;1H\x1b[38;5;253;48;5;233mab\x1b[0m\n\x1b[2;1H\x1b[1mcd\x1b[0m\x1b[2;3H"


class Sink(HeadlessDriver):
    def __init__(self) -> None:
        super().__init__(App())
        self.sent: list[str] = []

    def write(self, data: str) -> None:
        self.sent.append(data)


class Frugal(FrugalWriting, Sink):
    pass


async def test_a_frame_written_again_is_not_sent_again() -> None:
    driver = Frugal()
    for data in ("\x1b[?2026h", FRAME, "\x1b[?2026l", "\x1b[?2026h", FRAME, "\x1b[?2026l"):
        driver.write(data)
    assert [data for data in driver.sent if data.startswith("\x1b[1;1H")] == [driver.sent[1]]
    assert "ab" in driver.sent[1] and "\x1b[0m\x1b[" not in driver.sent[1]  # and its styles were filtered


async def test_the_same_frame_is_sent_again_after_anything_else() -> None:
    driver = Frugal()
    driver.write(FRAME)
    driver.write("\x1b[5;5Hx")
    driver.write(FRAME)
    assert len(driver.sent) == 3


async def test_after_a_resize_or_a_suspend_the_same_frame_is_sent_again() -> None:
    driver = Frugal()
    driver.write(FRAME)
    driver.process_message(events.Resize(Size(80, 24), Size(80, 24)))
    driver.write(FRAME)
    driver.start_application_mode()
    driver.write(FRAME)
    assert len([data for data in driver.sent if "ab" in data]) == 3


async def test_what_does_not_redraw_in_place_is_always_sent() -> None:
    driver = Frugal()
    for _ in range(2):
        driver.write("\x07")  # a bell rings twice
        driver.write("\x07")
    assert driver.sent == ["\x07"] * 4
    assert not redraws_in_place("\x1b[1;1Hab\n")  # a line feed at the end could scroll
    assert not redraws_in_place("\x1b[1;1Hab\x1b[?25h")
    assert redraws_in_place(FRAME)
