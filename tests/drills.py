"""What the kill and SIGTERM drills share: the merge in a JVM of its own, and the hidden files it leaves."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from sparkmerge._plain_jvm import command

WAIT_SECONDS = 120


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
