"""Python's cyclic garbage collector held off while the explorer starts.

Start-up makes some 200,000 objects that live as long as the program (modules, classes,
Textual's widgets and styles) and little garbage. Left on, the collector goes through the
objects made so far some 300 times on the way to the first frame: 85 to 110 ms of processor
time of a 750 ms start at 120x40 (``benchmarks/startup_parts.py``). So the ``ammoflow`` command
holds it off before it imports the explorer, and the explorer releases it once its first frame
is out: what start-up made is then frozen (:func:`gc.freeze`), so that later full collections,
during a slider step, say, no longer go through it either. What start-up left as cyclic
garbage (some 3,000 small objects) stays: collecting it would cost 45 to 70 ms just when the
first key is likely to be typed.
"""

from __future__ import annotations

import gc

__all__ = ["hold", "release"]

_held = False


def hold() -> None:
    """Hold the collector off until :func:`release` (nothing if it is already off: that is the caller's)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what was made while held and turn the collector back on; nothing if :func:`hold` did not turn it off."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
