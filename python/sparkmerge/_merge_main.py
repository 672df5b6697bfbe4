"""One merge by ``sparkmerge.MergeMain --json`` in a JVM of its own: start it, pass it the signals that stop this
process, and turn the one JSON object it prints into a :class:`MergeResult` or the engine's exception."""

from __future__ import annotations

import json
import signal
import subprocess
from typing import Any, Mapping

from ._plain_jvm import command
from ._signals import Forwarding
from .errors import SparkMergeError, java_error
from .result import MergeResult, MergeResults

__all__ = ["Stopped", "run_merge", "merge_fields", "run_clean"]

#: How long the JVM may take to end after a signal was passed on to it, before it is killed.
STOP_SECONDS = 15.0
#: How often the wait for the JVM looks whether that time is up.
POLL_SECONDS = 0.5


class Stopped(Exception):
    """SIGINT or SIGTERM stopped the merge before its file was published; the JVM got the signal as well and has
    ended, its hidden files removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def run_merge(source: str, target: str, **merge: Any) -> MergeResult:
    """Merge as :func:`sparkmerge.merge` does, without a SparkSession, with the words of :func:`merge_fields`;
    from the main thread only (it handles SIGINT and SIGTERM while the JVM runs). The JVM's stderr is this
    process's: its log lines (progress, the summary) reach the user as they come."""
    fields = merge_fields(source, target, **merge)
    if "results" in fields:  # a {column} target: a result per file
        return MergeResults.of(target, [MergeResult.from_fields(each) for each in fields["results"]])
    return MergeResult.from_fields(fields)


def merge_fields(
    source: str,
    target: str,
    *,
    header: bool,
    overwrite: bool,
    delete_source: bool,
    missing_newline: str = "add",
    options: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The merge of :func:`run_merge`, answered as the JSON object ``MergeMain --json`` printed."""
    flags = {"--header": header, "--overwrite": overwrite, "--delete-source": delete_source}
    arguments = [*(flag for flag, on in flags.items() if on), f"--missing-newline={missing_newline}"]
    arguments += [f"--option={key}={value}" for key, value in (options or {}).items()]
    # The paths last, after "--": a path may start with "-" too.
    return _run([*arguments, "--json", "--", source, target])


def run_clean(path: str) -> list[str]:
    """Remove what merges to ``path`` (a target, or a directory of targets) left when they were killed; the
    paths removed."""
    removed = _run(["--clean", "--json", "--", path]).get("removed", [])
    return [str(entry) for entry in removed]


def _run(arguments: list[str]) -> dict[str, Any]:
    java = command(arguments)
    with Forwarding() as forwarding:
        try:
            process = subprocess.Popen(java, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
        except OSError as error:
            raise SparkMergeError(f"could not start {java[0]}: {error.strerror or error}") from None
        forwarding.attach(process)
        stdout = _output(process, forwarding)
    if forwarding.signum is not None:
        # The JVM finishes what it has staged before it ends: a result printed means the file is in place.
        finished = _last_object(stdout)
        if finished is None or "error" in finished:
            raise Stopped(forwarding.signum)
        return finished
    return _outcome(stdout, process.returncode)


def _output(process: subprocess.Popen[bytes], forwarding: Forwarding) -> bytes:
    """All the JVM printed on stdout, once it has ended; killed if it outlives a signal by STOP_SECONDS."""
    while True:
        try:
            stdout, _ = process.communicate(timeout=POLL_SECONDS)
            return stdout
        except subprocess.TimeoutExpired:  # retried without loss of output, as subprocess promises
            if forwarding.overdue(STOP_SECONDS):
                process.kill()


def _outcome(stdout: bytes, returncode: int) -> dict[str, Any]:
    fields = _last_object(stdout)
    if fields is None:
        raise SparkMergeError(
            f"the merge's JVM ended with exit code {returncode} and no result: see what it printed above"
        )
    if "error" in fields:
        raise java_error(str(fields["error"]), str(fields.get("message", "")))
    return fields


def _last_object(stdout: bytes) -> dict[str, Any] | None:
    """The JSON object MergeMain printed last (its only line on stdout, unless a library wrote there too)."""
    for line in reversed(stdout.decode("utf-8", "replace").splitlines()):
        if line.startswith("{"):
            try:
                found = json.loads(line)
            except ValueError:
                continue
            if isinstance(found, dict):
                return found
    return None
