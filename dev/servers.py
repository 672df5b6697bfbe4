"""What the loopback servers of the tests and the benchmark share: their jars from Maven Central, a free port,
waiting until one answers, and stopping one, every wait bounded."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

CACHE = Path(__file__).resolve().parent.parent / ".cache"


def maven_jar(group: str, artifact: str, version: str, classifier: str = "") -> Path:
    """A jar from Maven Central, fetched into .cache/<artifact> on first use (``mvn dependency:copy``, as dev/sbt
    fetches sbt), so that a rerun finds it."""
    folder = CACHE / artifact
    jar = folder / f"{artifact}-{version}{'-' + classifier if classifier else ''}.jar"
    if not jar.exists():
        coordinates = f"{group}:{artifact}:{version}" + (f":jar:{classifier}" if classifier else "")
        subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "dependency:copy",
                f"-Dartifact={coordinates}",
                f"-DoutputDirectory={folder}",
                f"-Dmaven.repo.local={CACHE / 'm2'}",
            ],
            check=True,
        )
    return jar


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def wait_until_answers(
    server: subprocess.Popen[bytes], port: int, log: IO[str], what: str, seconds: float
) -> None:
    """Returns once ``port`` takes connections; raises with the end of the server's log if it exits or takes
    longer than ``seconds``."""
    deadline = time.monotonic() + seconds
    while not answers(port):
        if server.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"{what} did not start within {seconds:.0f} s; its log:\n{log.read()[-4000:]}")
        time.sleep(0.2)


def stop(server: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """SIGTERM, then SIGKILL if it has not ended within 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)
