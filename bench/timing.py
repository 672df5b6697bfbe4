"""How the benchmark times its ways: in turns, each from the same state of the disk and the page cache."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable


def round_robin(
    ways: dict[str, tuple[Callable[[], Any], Path]], runs: int, evicting: bool = False
) -> dict[str, list[float]]:
    """Seconds of each way, `runs` times, taken in turns (A, B, C, A, B, C, ...) so that a drift of the machine
    over the minutes falls on every way alike. Each way's old output is removed, untimed, before it runs: every
    way writes a new file, none pays for replacing an old one. With `evicting`, each run's output is then written
    to disk and dropped from the page cache, untimed (see `evict`): for ways of which some leave their output
    there and some do not."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(runs):
        for name, (action, output) in ways.items():
            remove(output)
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
            if evicting:
                evict(output)
    return times


def evict(path: Path) -> None:
    """Write a way's output to disk and drop it from the page cache, as write_single's own O_DIRECT file is.

    Without this, removing a way's old output freed a GiB of page cache for the Spark writes and none for
    write_single, and on this benchmark's VM writing into memory just freed costs a fifth of the
    system CPU of writing into memory free for a while: that alone put write_single 0.3 s to 1.9 s behind the
    parallel write, depending on the order of the ways."""
    if not hasattr(os, "posix_fadvise") or not path.exists():
        return
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for file in files:
        fd = os.open(file, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
