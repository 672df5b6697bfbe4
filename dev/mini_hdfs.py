"""A mini HDFS in a JVM of its own, for the tests and the benchmark: ``with running(base) as uri: ...``.

It runs ``dev/mini-hdfs run`` (a MiniDFSCluster on loopback, built from the sbt test classpath through make),
waits for the ``hdfs://127.0.0.1:PORT`` line it prints once ready, and stops it at the end. Its stdin is held
open: should this process die, the server stops when the pipe closes.
"""

from __future__ import annotations

import queue
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import servers  # dev/, on the path of whoever imports this module

ROOT = Path(__file__).resolve().parent.parent
CLASSPATH = "jvm/target/test-classpath.txt"
START_SECONDS = 120


class MiniHdfsError(RuntimeError):
    """The mini HDFS could not be built or did not start; the message says where to look."""


@contextmanager
def running(base: Path) -> Iterator[str]:
    """The URI of a mini HDFS whose data lives under ``base``, for the time of the ``with`` block."""
    built = subprocess.run(
        ["make", "--no-print-directory", "-s", CLASSPATH], cwd=ROOT, capture_output=True, text=True
    )
    if built.returncode != 0:
        raise MiniHdfsError(f"make {CLASSPATH} failed:\n{built.stdout}{built.stderr}")
    log = base / "server.log"
    with open(log, "w") as stderr:
        server = subprocess.Popen(
            [str(ROOT / "dev" / "mini-hdfs"), "run", str(base / "data")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        uri = _uri_of(server)
        if uri is None:
            raise MiniHdfsError(f"the mini HDFS did not start within {START_SECONDS} s; see {log}")
        yield uri
    finally:
        servers.stop(server)


def _uri_of(server: subprocess.Popen[str]) -> str | None:
    """The ``hdfs://`` line the server prints once ready, or None if it exits or times out first."""
    found: queue.Queue[str | None] = queue.Queue()

    def read(stdout: IO[str]) -> None:
        for line in stdout:
            if line.startswith("hdfs://"):
                found.put(line.strip())
                return
        found.put(None)

    threading.Thread(target=read, args=(server.stdout,), daemon=True).start()
    try:
        return found.get(timeout=START_SECONDS)
    except queue.Empty:
        return None
