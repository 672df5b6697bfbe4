"""A progress bar for long merges, fed from the JVM's counters while the merge runs in another thread."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, TextIO, TypeVar

__all__ = ["with_progress_bar"]

T = TypeVar("T")

#: How often the bar polls the JVM: each poll is a py4j round trip.
POLL_SECONDS = 0.5
WIDTH = 30


def with_progress_bar(counters: Any, invoke: Callable[[], T], stream: TextIO | None = None) -> T:
    """Run ``invoke()`` (a call into the JVM) in a thread, drawing ``counters`` (a ``sparkmerge.MergeProgress``)
    until it returns; its result or its exception comes back unchanged."""
    out = stream if stream is not None else sys.stderr
    # What the thread got, one of the two: lists, so that the thread can fill them and their types are known.
    values: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            values.append(invoke())
        except BaseException as error:  # handed to the caller's thread below
            errors.append(error)

    worker = threading.Thread(target=run, name="sparkmerge-merge", daemon=True)
    worker.start()
    drawn = False
    while worker.is_alive():
        worker.join(POLL_SECONDS)
        if worker.is_alive() and (counters.bytesTotal() > 0 or counters.filesTotal() > 0):
            out.write("\r" + _line(counters))
            out.flush()
            drawn = True
    if drawn or values:
        out.write("\r" + _line(counters) + "\n")
        out.flush()
    if errors:
        raise errors[0]
    return values[0]


def _line(counters: Any) -> str:
    done, total = int(counters.bytesDone()), int(counters.bytesTotal())
    seconds = int(counters.elapsedMillis()) / 1000.0
    fraction = min(done / total, 1.0) if total > 0 else (1.0 if counters.isFinished() else 0.0)
    filled = int(fraction * WIDTH)
    # Bytes found in place (copied while Spark wrote, or joined by concat) are done, but were not moved by this
    # merge: they make no speed, and when nothing else was moved there is no speed to show.
    moved = done - int(counters.bytesSettled())
    rate = f" {moved / 1048576.0 / seconds:.0f} MiB/s" if moved > 0 and seconds > 0 else ""
    return (
        f"sparkmerge [{'#' * filled}{'.' * (WIDTH - filled)}] {fraction:4.0%} "
        f"{counters.filesDone()}/{counters.filesTotal()} files "
        f"{done / 1048576.0:.0f}/{total / 1048576.0:.0f} MiB{rate}"
    )
