"""What the kill and SIGTERM drills share: the merge in a JVM of its own, and the hidden files it leaves."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

from sparkmerge._plain_jvm import command

WAIT_SECONDS = 120


def wait_until_group_ended(group: int, seconds: float = WAIT_SECONDS) -> None:
    """Until no process of the process group `group` runs (a zombie has ended): a JVM killed with its Python
    takes a while to give its memory back, and until it has, a next run rightly takes its files for a live
    merge's. Bounded: after `seconds` the caller goes on and its assertions say what was left."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(
        _running_in(group, stat) for stat in Path("/proc").glob("[0-9]*/stat")
    ):
        time.sleep(0.05)


def _running_in(group: int, stat: Path) -> bool:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False  # gone meanwhile
    return int(fields[2]) == group and fields[0] not in ("Z", "X")


def hidden_in(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if ".sparkmerge-" in name)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def merge_jvm(source: str, target: str, *jvm_options: str) -> subprocess.Popen[bytes]:
    """MergeMain with overwrite, in a JVM of its own: the process a kill -9 ends at once."""
    java = command([source, target, "--overwrite", "--json"])
    return subprocess.Popen(
        [java[0], *jvm_options, *java[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
