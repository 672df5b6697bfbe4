"""What the tests of racing merges share: a merge on a thread of its own, and a bounded wait for a moment."""

from __future__ import annotations

import threading
import time
from typing import Callable

import sparkmerge

WAIT_SECONDS = 120


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}"
        time.sleep(0.05)


def in_thread(call: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    """``call`` on a thread of its own; its result or error lands in the dict, under "outcome"."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["outcome"] = call()
        except sparkmerge.SparkMergeError as error:
            outcome["outcome"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def one_winner(runs: list[tuple[threading.Thread, dict[str, object]]], names: str = "ab") -> str:
    """Waits for the racing merges ``runs`` (named by ``names``' letters), checks that exactly one won and the other
    got ``TargetExistsError`` for a target that appeared while it merged; returns the winner's name."""
    for thread, _ in runs:
        thread.join(timeout=WAIT_SECONDS)
    outcomes = {name: outcome.get("outcome") for name, (_, outcome) in zip(names, runs)}
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["MergeResult", "TargetExistsError"], (
        outcomes
    )
    loser = next(o for o in outcomes.values() if isinstance(o, sparkmerge.TargetExistsError))
    assert "appeared while merging" in str(loser), loser
    return next(name for name, o in outcomes.items() if isinstance(o, sparkmerge.MergeResult))
