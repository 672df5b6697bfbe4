"""Peak memory of the command-line merge in a JVM of its own, with its heap capped."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from sparkmerge._plain_jvm import MAIN_CLASS, classpath


def peak_memory(parts: Path, target: Path, heap: str) -> dict[str, Any]:
    """The command-line merge in a JVM of its own with a capped heap, and its peak resident memory: the kernel's
    high-water mark (VmHWM), read until the process ends. (wait4's ru_maxrss would count the memory of this
    Python process at fork time.)"""
    command = ["java", f"-Xmx{heap}", "-cp", classpath(), MAIN_CLASS, str(parts), str(target)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_kib = 0
    while process.poll() is None:
        peak_kib = max(peak_kib, high_water_kib(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    if process.returncode != 0:
        raise RuntimeError(f"merge with -Xmx{heap} failed:\n{output}")
    size = target.stat().st_size
    target.unlink()
    return {"bytes": size, "heap": heap, "peak_rss_mib": peak_kib / 1024, "seconds": seconds}


def high_water_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except (FileNotFoundError, ProcessLookupError):  # it has just ended
        return 0
