"""Part files made without Spark, for the merges that need many small ones or more than memory holds."""

from __future__ import annotations

from pathlib import Path

LINE = b"123456789,98765,0.123456\n"


def small_parts(directory: Path, count: int, size: int) -> Path:
    directory.mkdir(parents=True)
    body = LINE * (size // len(LINE))
    for i in range(count):
        (directory / f"part-{i:05d}-bench-c000.csv").write_bytes(b"%05d" % i + body[5:])
    return directory


def big_parts(directory: Path, total: int, count: int) -> Path:
    directory.mkdir(parents=True)
    chunk = LINE * ((8 << 20) // len(LINE))
    per_part = total // count
    for i in range(count):
        with open(directory / f"part-{i:05d}-bench-c000.csv", "wb") as out:
            left = per_part
            while left > 0:
                out.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return directory
