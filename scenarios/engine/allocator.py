"""Keep freed memory for the next projection rather than hand it back to the system at once.

A batch of 10,000 runs of 48 months makes some twenty blocks of 3.8 MB and drops them when it
is done; the next (a slider step later, or the next chunk) makes them again. glibc's malloc
returns such blocks to the system when they are freed (they are above its mmap threshold, or
trimmed off the top of the heap), so every new block starts with a page fault per 4 KB page:
measured here, that is a third of a projection's time. Raising the two thresholds keeps up to
:data:`KEPT_FREE` of freed memory in the process for reuse; blocks above :data:`OWN_MAPPING`
(a whole column of 100,000 runs) still get their own mapping and go back when freed, so the
resident memory after a large simulation does not stay at its peak.

Applies to the whole process, once; on a C library without ``mallopt`` (not glibc) nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util

OWN_MAPPING = 32 * 2**20  # glibc's largest mmap threshold on 64-bit systems
KEPT_FREE = 128 * 2**20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_done = False


def keep_freed_blocks() -> bool:
    """Set the thresholds (once); True when the C library took them."""
    global _done
    if _done:
        return True
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    _done = bool(mallopt(_M_MMAP_THRESHOLD, OWN_MAPPING)) and bool(mallopt(_M_TRIM_THRESHOLD, KEPT_FREE))
    return _done
