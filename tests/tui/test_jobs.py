"""The one newest-wins background job: what it delivers, drops and reports, under Textual's Pilot.

Each run waits at a gate the test opens, so the order of events is the test's, not the
machine's: nothing here races a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pilot_waits import settle_until
from textual.app import App

from ammoflow.tui.jobs import Job


class Gates:
    """Work that waits for the test to let each value through; it records what ran and what it saw."""

    def __init__(self) -> None:
        self.open: dict[int, threading.Event] = {}
        self.ran: list[int] = []
        self.saw_stop: list[int] = []

    def gate(self, value: int) -> threading.Event:
        return self.open.setdefault(value, threading.Event())

    def release(self, value: int) -> None:
        self.gate(value).set()

    def __call__(self, value: int, stopped: Callable[[], bool]) -> int:
        self.ran.append(value)
        self.gate(value).wait(timeout=30)
        if stopped():
            self.saw_stop.append(value)
        if value < 0:
            raise ValueError(f"no square of {value} here")
        return value * value


class Host(App[None]):
    """An app that owns one job and records what it is told."""

    def __init__(self, *, interim: bool = False, slow_after: float = 60.0) -> None:
        super().__init__()
        self.gates = Gates()
        self.done: list[tuple[int, int]] = []
        self.failed: list[tuple[int, str]] = []
        self.slow: list[int] = []
        self.job: Job[int, int] = Job(
            self,
            self.gates,
            done=lambda value, result: self.done.append((value, result)),
            failed=lambda value, error: self.failed.append((value, error)),
            slow=self.slow.append,
            slow_after=slow_after,
            interim=interim,
        )


async def test_a_newer_start_supersedes_and_only_the_newest_answer_is_delivered() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.job.start(1)
        await settle_until(pilot, lambda: app.gates.ran == [1])
        app.job.start(2)  # waits for 1, then is superseded before it runs
        app.job.start(3)
        assert app.job.busy and app.job.asked == 3
        app.gates.release(1)
        await settle_until(pilot, lambda: app.gates.ran == [1, 3])
        assert app.gates.saw_stop == [1]  # the running one could have stopped early
        app.gates.release(3)
        await app.job.wait()
        assert app.done == [(3, 9)]  # 1's answer was dropped; 2 never ran
        assert not app.job.busy and app.job.asked is None


async def test_with_interim_answers_a_superseded_one_is_still_shown_while_the_newest_runs() -> None:
    app = Host(interim=True)
    async with app.run_test() as pilot:
        app.job.start(1)
        await settle_until(pilot, lambda: app.gates.ran == [1])
        app.job.start(2)
        app.gates.release(1)
        await settle_until(pilot, lambda: app.done == [(1, 1)])
        assert app.job.busy  # 2 is running now
        app.gates.release(2)
        await app.job.wait()
        assert app.done == [(1, 1), (2, 4)]


async def test_an_error_is_reported_once_and_the_next_start_still_runs() -> None:
    app = Host()
    async with app.run_test():
        app.gates.release(-2)
        app.job.start(-2)
        await app.job.wait()
        assert app.failed == [(-2, "ValueError: no square of -2 here")] and app.done == []
        app.gates.release(4)
        app.job.start(4)
        await app.job.wait()
        assert app.done == [(4, 16)] and len(app.failed) == 1


async def test_a_cancelled_run_stops_at_its_next_check_and_delivers_nothing() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.job.start(5)
        await settle_until(pilot, lambda: app.gates.ran == [5])
        app.job.cancel()
        assert app.job.asked is None
        app.gates.release(5)
        await app.job.wait()
        await pilot.pause()
        assert app.gates.saw_stop == [5] and app.done == [] and app.failed == []


@pytest.mark.parametrize(("slow_after", "told"), [(0.01, [7]), (60.0, [])])
async def test_a_run_says_it_is_slow_once_after_the_delay_given(slow_after: float, told: list[int]) -> None:
    app = Host(slow_after=slow_after)
    async with app.run_test() as pilot:
        app.job.start(7)
        if told:
            await settle_until(pilot, lambda: app.slow == told)  # held at the gate until then
        app.gates.release(7)
        await app.job.wait()
        await pilot.pause(0.05)
        assert app.slow == told and app.done == [(7, 49)]


async def test_run_now_answers_at_once_on_the_owner_thread() -> None:
    app = Host()
    async with app.run_test():
        app.gates.release(6)
        app.job.run_now(6)
        assert app.done == [(6, 36)] and not app.job.busy


async def test_run_now_while_a_run_is_under_way_keeps_one_run_at_a_time() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.job.start(1)
        await settle_until(pilot, lambda: app.gates.ran == [1])
        app.gates.release(2)
        app.job.run_now(2)
        assert app.done == [(2, 4)] and app.job.running  # 1 goes on in its thread
        app.job.start(3)
        await pilot.pause()
        assert app.gates.ran == [1, 2]  # 3 waits for 1 rather than running beside it
        app.gates.release(1)
        await settle_until(pilot, lambda: app.gates.ran == [1, 2, 3])
        app.gates.release(3)
        await app.job.wait()
        assert app.done == [(2, 4), (3, 9)]  # 1 was superseded by the answer given at once


async def test_an_error_whose_wording_fails_is_still_reported_and_the_job_goes_on() -> None:
    app = Host()

    def broken_wording(exc: Exception) -> str:
        raise RuntimeError("no words")

    app.job = Job(
        app,
        app.gates,
        done=lambda value, result: app.done.append((value, result)),
        failed=lambda value, error: app.failed.append((value, error)),
        describe=broken_wording,
    )
    async with app.run_test():
        app.gates.release(-3)
        app.job.start(-3)
        await app.job.wait()
        assert app.failed == [(-3, "ValueError: no square of -3 here")]
        app.gates.release(5)
        app.job.start(5)
        await app.job.wait()
        assert app.done == [(5, 25)]
