"""The allocator settings the batch engine asks for: freed blocks are kept for the next projection."""

from __future__ import annotations

import ctypes.util
import platform

import pytest

from ammoflow.scenarios.engine import allocator


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_thresholds_and_a_second_call_changes_nothing() -> None:
    assert ctypes.util.find_library("c")
    assert allocator.keep_freed_blocks() is True
    assert allocator.keep_freed_blocks() is True
