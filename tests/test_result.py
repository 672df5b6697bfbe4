"""MergeResult reads as what happened."""

from __future__ import annotations

import dataclasses

import pytest

from sparkmerge import MergeResult


def test_str_says_what_was_merged() -> None:
    result = MergeResult("file:/data/out.csv", 200, 3 * 1048576, "copy", 1.5)
    assert str(result) == "merged 200 files into file:/data/out.csv: 3.0 MiB (3145728 bytes) in 1.50 s (copy)"
    assert result.mib_per_second == pytest.approx(2.0)


def test_bytes_copied_ahead_are_no_part_of_the_speed() -> None:
    result = MergeResult("file:/data/out.csv", 33, 10 * 1048576, "copy", 0.5, bytes_ahead=9 * 1048576)
    assert result.mib_per_second == pytest.approx(2.0)


def test_str_of_a_skipped_write() -> None:
    result = MergeResult("file:/data/out.csv", 0, 0, "skipped", 0.0)
    assert result.skipped
    assert str(result) == "skipped file:/data/out.csv: it exists"


def test_it_is_frozen() -> None:
    result = MergeResult("t", 1, 10, "copy", 0.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.files = 2  # type: ignore[misc]
    assert str(result) == "merged 1 file into t: 10 B in 0.10 s (copy)"
