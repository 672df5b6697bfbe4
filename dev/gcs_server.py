"""The tests' loopback Google Cloud Storage: dev/gcs-server, a small Go program on fake-gcs-server's handler,
storing objects as files, which adds the rules of a compose that the merge relies on and the fake does not keep:
the destination's ifGenerationMatch (412 if it does not hold, checked and acted on atomically), 404 for a missing
source, and GCS's limit of 1,024 components in an object (400 beyond it).

The program is built with the Go toolchain into .cache/gcs-server on first use, and again whenever its sources are
newer than the binary; its modules come from the Go module proxy into .cache/go."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import servers

SOURCE = Path(__file__).resolve().parent / "gcs-server"
BUILD_SECONDS = 1200
START_SECONDS = 60


def binary() -> Path:
    target = servers.CACHE / "gcs-server" / "gcs-server"
    sources = [SOURCE / name for name in ("main.go", "go.mod", "go.sum")]
    if not target.exists() or max(s.stat().st_mtime for s in sources) > target.stat().st_mtime:
        go = servers.CACHE / "go"
        env = {
            **os.environ,
            "GOMODCACHE": str(go / "mod"),
            "GOPATH": str(go),
            "GOCACHE": str(go / "build"),
            "GOFLAGS": "-modcacherw",
            "GOTOOLCHAIN": "local",
        }
        # Built beside the target and moved onto it, so that a build cut short, or two at once, leave no half binary.
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"gcs-server.{os.getpid()}.partial")
        subprocess.run(
            ["go", "build", "-o", str(partial), "."], cwd=SOURCE, env=env, check=True, timeout=BUILD_SECONDS
        )
        partial.replace(target)
    return target


@contextlib.contextmanager
def running(*buckets: str) -> Iterator[str]:
    """A server with ``buckets``, storing its objects in a temporary folder, for the length of the block; yields
    its endpoint, ``http://127.0.0.1:PORT``, the root of the JSON API's paths (``/storage/v1/b/...``,
    ``/upload/storage/v1/b/...``)."""
    program = binary()
    port = servers.free_port()
    with tempfile.TemporaryDirectory(prefix="sparkmerge-gcs-") as work:
        store = Path(work) / "store"
        with open(Path(work) / "gcs-server.log", "w+") as log:
            server = subprocess.Popen(
                [str(program), "-port", str(port), "-root", str(store)]
                + [argument for bucket in buckets for argument in ("-bucket", bucket)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                servers.wait_until_answers(server, port, log, "gcs-server", START_SECONDS)
                yield f"http://127.0.0.1:{port}"
            finally:
                servers.stop(server)


def connector_settings(endpoint: str) -> dict[str, str]:
    """The settings of Google's GCS connector that a user would give for this server (``spark.hadoop.`` before
    each, in Spark): no credentials, and no move calls, which the fake does not have."""
    return {
        "fs.gs.impl": "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
        "fs.AbstractFileSystem.gs.impl": "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS",
        "fs.gs.storage.root.url": endpoint,
        "fs.gs.auth.type": "UNAUTHENTICATED",
        "fs.gs.project.id": "sparkmerge-tests",
        "fs.gs.operation.move.enable": "false",
        # A failed call is an answer to check, not to retry for a minute.
        "fs.gs.http.max.retry": "2",
        # Hadoop 3.4 names the manifest committer for gs://, which Spark's own commit protocol cannot drive (it
        # writes the files where the committer never looks): without spark-hadoop-cloud's PathOutputCommitProtocol,
        # the classic committer, as Dataproc's clusters set it.
        "mapreduce.outputcommitter.factory.scheme.gs": (
            "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory"
        ),
    }


def _control(endpoint: str, request: str, method: str = "POST") -> int:
    from urllib.request import Request, urlopen

    with urlopen(Request(f"{endpoint}/{request}", method=method), timeout=10) as answer:
        return int(json.loads(answer.read())["held"])


def hold(endpoint: str, match: str) -> None:
    """From now on, composes whose destination name holds ``match`` wait, before any check, until released."""
    _control(endpoint, f"_hold?match={quote(match)}")


def held(endpoint: str) -> int:
    """How many composes are waiting."""
    return _control(endpoint, "_held", method="GET")


def release(endpoint: str, status: int = 0) -> None:
    """Lets the held composes go on, or answer ``status`` (a 503, say) without composing; holds no more."""
    _control(endpoint, f"_release?status={status}")
