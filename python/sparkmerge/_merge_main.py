"""``sparkmerge.MergeMain`` in a JVM of its own, for the command line and :func:`run_merge`: start it on words it
parses itself (it is their one parser), pass it the signals that stop this process, and read back the one JSON
object it answers a front program with, as a :class:`MergeResult` or the engine's exception."""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

from ._plain_jvm import command
from ._signals import Forwarding
from .errors import SparkMergeError, from_jvm
from .result import MergeResult, from_json

__all__ = ["PROG", "Stopped", "Reply", "run_main", "answer", "run_merge", "run_clean"]

#: The program's name in what MergeMain prints for its user: usage errors, ``--help``, ``--version``.
PROG = "python -m sparkmerge"
#: MergeMain's exit code for words it cannot parse (it said why on stderr).
USAGE_ERROR = 2
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


@dataclass(frozen=True)
class Reply:
    """What MergeMain answered: ``fields``, the object ``--json`` prints (a result, the paths removed or an
    error), and whether the user asked for ``--json``; or no ``fields``, where it spoke to the user itself."""

    code: int
    fields: Optional[dict[str, Any]]
    json: bool = False
    stdout: str = ""

    @property
    def spoken(self) -> bool:
        """MergeMain answered the user itself: ``--help`` or ``--version`` on stdout, or a usage error on
        stderr."""
        return self.fields is None and self.code in (0, USAGE_ERROR)


def run_main(arguments: Sequence[str], forwarding: Optional[Forwarding] = None) -> Reply:
    """MergeMain on the user's words, from the main thread only (it handles SIGINT and SIGTERM while the JVM
    runs, through ``forwarding`` where the caller holds one already). The JVM's stderr is this process's: its
    log lines (progress, the summary) reach the user as they come. :class:`Stopped` if a signal stopped it
    before its file was in place."""
    if forwarding is None:
        with Forwarding() as own:
            return run_main(arguments, own)
    java = command(["--front", PROG, *arguments])
    try:
        process = subprocess.Popen(java, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    except OSError as error:
        raise SparkMergeError(f"could not start {java[0]}: {error.strerror or error}") from None
    forwarding.attach(process)  # a signal that came before is passed on now
    stdout = _output(process, forwarding).decode("utf-8", "replace")
    reply = _reply(stdout, process.returncode)
    # The JVM finishes what it has staged before it ends: a result printed means the file is in place.
    if forwarding.signum is not None and (reply.fields is None or "error" in reply.fields):
        raise Stopped(forwarding.signum)
    return reply


def answer(reply: Reply) -> Union[MergeResult, list[str]]:
    """The result of a merge, or the paths a clean removed; the engine's exception for its error."""
    fields = reply.fields
    if fields is None:
        raise SparkMergeError(
            f"the merge's JVM ended with exit code {reply.code} and no result: see what it printed above"
        )
    if "error" in fields:
        raise from_jvm(str(fields["error"]), fields.get("message"), java_class=fields.get("class"))
    if "removed" in fields:
        return [str(path) for path in fields["removed"]]
    return from_json(fields)


def run_merge(
    source: str,
    target: str,
    *,
    header: bool = False,
    overwrite: bool = False,
    delete_source: bool = False,
    missing_newline: str = "add",
    options: Mapping[str, str] | None = None,
) -> MergeResult:
    """Merge as :func:`sparkmerge.merge` does, without a SparkSession: the words for MergeMain, which parses them
    as it parses the command line's."""
    flags = {"--header": header, "--overwrite": overwrite, "--delete-source": delete_source}
    words = [*(flag for flag, on in flags.items() if on), f"--missing-newline={missing_newline}"]
    words += [f"--option={key}={value}" for key, value in (options or {}).items()]
    # The paths last, after "--": a path may start with "-" too.
    result = answer(run_main([*words, "--", source, target]))
    assert isinstance(result, MergeResult), result
    return result


def run_clean(path: str) -> list[str]:
    """Remove what merges to ``path`` (a target, or a directory of targets) left when they were killed; the
    paths removed."""
    removed = answer(run_main(["--clean", "--", path]))
    assert isinstance(removed, list), removed
    return removed


def _output(process: subprocess.Popen[bytes], forwarding: Forwarding) -> bytes:
    """All the JVM printed on stdout, once it has ended; killed if it outlives a signal by STOP_SECONDS."""
    while True:
        try:
            stdout, _ = process.communicate(timeout=POLL_SECONDS)
            return stdout
        except subprocess.TimeoutExpired:  # retried without loss of output, as subprocess promises
            if forwarding.overdue(STOP_SECONDS):
                process.kill()


def _reply(stdout: str, returncode: int) -> Reply:
    """The front's object MergeMain printed last (its only line on stdout, unless a library wrote there too)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                found = json.loads(line)
            except ValueError:
                continue
            if isinstance(found, dict) and isinstance(found.get("reply"), dict):
                return Reply(returncode, found["reply"], json=found.get("json") is True, stdout=stdout)
    return Reply(returncode, None, stdout=stdout)
