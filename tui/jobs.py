"""The one "newest wins" background job of the explorer and its dialogs.

A view asks for work on a value (a scenario, a dialog's inputs); the user may ask again
before the answer is back. :class:`Job` runs one worker thread at a time, always on the
newest value asked for: a start while a run is under way waits for it (work that takes a
``stopped`` check between chunks, as the Monte Carlo bands do, ends early; the others run
to the end, which is quick), and an answer for a value that has since been superseded is
dropped. An error is reported once, like an answer, in the words ``describe`` gives it (the
exception's type and message by default). The owner is told on its own thread, through
``done`` and ``failed``; ``slow`` is called when a value has waited ``slow_after`` seconds
unanswered (once for a burst of starts), to say that work is under way.

    job: Job[tuple[Scenario, str], Tornado] = Job(
        self,  # the widget or screen that owns it: its timers and its message queue
        lambda request, stopped: tornado(*request),
        done=lambda request, result: self.show(result),
        failed=lambda request, error: self.say(f"✗ {error}"),
        slow=lambda request: self.say("computing…"),
    )
    job.start((scenario, figure_key))  # again on every edit: only the newest is answered
    await job.wait()  # in tests, through the owner's own ``settled()``

``interim=True`` also delivers an answer that was superseded while it ran, as long as it
is newer than the last one delivered: a burst of edits keeps the screen moving (the
explorer's projection) instead of freezing until the burst ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Generic, TypeVar

from textual.dom import DOMNode
from textual.timer import Timer

In = TypeVar("In")
Out = TypeVar("Out")

_THREADS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="ammoflow-job")
"""The threads every job runs in, one run of each job at a time: made as runs need them and
kept, up to as many as jobs can run at once (a slow Monte Carlo never holds up a projection).
Python waits for them as it exits, so the app stops every job as it closes (:func:`stop_all`)."""

_JOBS: weakref.WeakSet[Job[object, object]] = weakref.WeakSet()


def stop_all() -> None:
    """Every job's run stops at its next check: the program is closing, and waits for its threads."""
    for job in list(_JOBS):
        job.cancel()


SLOW_AFTER = 0.2
"""Seconds before a running job says so: quicker answers appear without a flicker."""


def _type_and_message(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


class _Failed:
    """What a run that raised left: the error as the owner is told it."""

    def __init__(self, error: str) -> None:
        self.error = error


class Job(Generic[In, Out]):
    """Runs ``work(value, stopped)`` in a thread for the newest value started; see the module docstring."""

    def __init__(
        self,
        owner: DOMNode,
        work: Callable[[In, Callable[[], bool]], Out],
        *,
        done: Callable[[In, Out], None],
        failed: Callable[[In, str], None],
        slow: Callable[[In], None] | None = None,
        slow_after: float = SLOW_AFTER,
        describe: Callable[[Exception], str] | None = None,
        interim: bool = False,
        name: str = "job",
    ) -> None:
        self._owner = owner
        self._work = work
        self._done = done
        self._failed = failed
        self._slow = slow
        self._slow_after = slow_after
        self._describe = describe or _type_and_message
        self._interim = interim
        self._name = name
        self._asked = 0  # the number of the newest start; a cancel counts as one
        self._delivered = 0  # the number of the newest answer delivered
        self._value: In | None = None  # the newest value asked for (None once cancelled)
        self._running = False
        self._pending = False
        self._timer: Timer | None = None
        self._timers = 0  # the number of the newest slow-note timer: an older one's call is stale
        self._idle = asyncio.Event()
        self._idle.set()
        _JOBS.add(self)  # type: ignore[arg-type]  # stopped as the app closes, whatever it computes

    @property
    def asked(self) -> In | None:
        """The newest value asked for and not yet answered or cancelled; None when there is none."""
        return self._value if self.busy else None

    @property
    def busy(self) -> bool:
        """Whether a run is under way or waiting for the running one to end."""
        return self._running or self._pending

    @property
    def running(self) -> bool:
        """Whether a worker is running (possibly on a value since superseded)."""
        return self._running

    def start(self, value: In) -> None:
        """Ask for ``value``; whatever is running or waiting is superseded."""
        self._asked += 1
        self._value = value
        self._idle.clear()
        if self._timer is None and self._slow is not None:
            self._timers += 1
            self._timer = self._owner.set_timer(
                self._slow_after, partial(self._say_slow, self._timers), name=f"{self._name} slow"
            )
        if self._running:
            self._pending = True  # the running one may stop at its next check; the newest follows it
            return
        self._launch()

    def run_now(self, value: In) -> None:
        """Answer ``value`` here and now, on the owner's thread (a first frame that must be complete).

        A run under way goes on in its thread (one at a time still holds) and its answer is dropped.
        """
        self._asked += 1
        self._value = value
        self._pending = False
        self._stop_timer()
        self._deliver(self._asked, value, self._attempt(value, lambda: False))

    def cancel(self) -> None:
        """Nothing is wanted any more: what runs stops at its next check and its answer is dropped.

        So is the answer of a run asked for before the cancel and still under way after a later
        start: the owner may have answered in between (a step drawn from an answer it already
        had), and an older answer must not be drawn over it.
        """
        self._asked += 1
        self._delivered = self._asked
        self._value = None
        self._pending = False
        self._stop_timer()
        if not self._running:
            self._idle.set()

    async def wait(self) -> None:
        """Return once nothing is running or waiting."""
        await self._idle.wait()

    def _launch(self) -> None:
        """Hand the run to a thread of the pool, at once.

        Not a Textual worker: a worker hands its work to a thread on a later turn of the
        event loop, after whatever frame is due then, so a slider step's projection waited
        for the slider's own repaint before it began. The pool's threads are kept between
        runs: starting a thread waits for the system to run it, which a busy machine delays.
        """
        number, value = self._asked, self._value
        assert value is not None  # started, not cancelled
        self._running = True
        self._pending = False
        _THREADS.submit(self._in_thread, number, value)

    def _in_thread(self, number: int, value: In) -> None:
        outcome = self._attempt(value, lambda: number != self._asked)
        with contextlib.suppress(RuntimeError):  # the app closed while this ran: nobody to tell
            self._owner.call_later(self._finish, number, value, outcome)

    def _attempt(self, value: In, stopped: Callable[[], bool]) -> Out | _Failed:
        try:
            return self._work(value, stopped)
        except Exception as exc:  # reported to the owner: the next start must still run
            try:
                return _Failed(self._describe(exc))
            except Exception:  # the wording failed too: the plain one still reaches the owner
                return _Failed(_type_and_message(exc))

    def _finish(self, number: int, value: In, outcome: Out | _Failed) -> None:
        self._running = False
        if self._pending:
            self._launch()
        elif number == self._asked:
            self._stop_timer()
        self._deliver(number, value, outcome)

    def _deliver(self, number: int, value: In, outcome: Out | _Failed) -> None:
        """Tell the owner, if ``number`` is still wanted; whatever the owner does, ``wait()`` ends when idle."""
        try:
            current = number == self._asked or (self._interim and self._value is not None)
            if current and number > self._delivered:
                self._delivered = number
                if isinstance(outcome, _Failed):
                    self._failed(value, outcome.error)
                else:
                    self._done(value, outcome)
        finally:
            if not self.busy:
                self._idle.set()

    def _say_slow(self, timer: int) -> None:
        # Textual queues a timer's callback when it fires, so a timer stopped a moment later can
        # still call: only the current timer may speak, or a stale call would announce the next run.
        if timer != self._timers or self._timer is None:
            return
        self._timer = None
        if self.busy and self._slow is not None and self._value is not None:
            self._slow(self._value)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
