"""``python -m sparkmerge SOURCE TARGET``: merge a directory Spark wrote into one file, from the shell.

The merge runs in a plain JVM (``sparkmerge.MergeMain``), not in a SparkSession: it needs Hadoop's FileSystem
only, and a session took seconds to start for a merge that may take less than one. The words go to MergeMain
untouched, and it is their one parser, as it is for spark-submit: its usage errors, ``--help`` and
``--version`` are what the user sees. What is left here needs Python: finding Java and the jar, passing on the
signals that stop this process, and saying the result or the error as the Python API says them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Optional, Sequence

from ._merge_main import PROG, Stopped, answer, run_main
from ._signals import Forwarding
from .errors import SparkMergeError


def main(argv: Optional[Sequence[str]] = None) -> int:
    # The handlers stay until the process ends: a signal that comes once the JVM has ended, while the result
    # is printed, is noted, never the death of this process before it has said what was done.
    with Forwarding(restore=argv is not None) as forwarding:
        return _main(list(sys.argv[1:] if argv is None else argv), forwarding)


def _main(arguments: list[str], forwarding: Forwarding) -> int:
    try:
        reply = run_main(arguments, forwarding)
    except SparkMergeError as error:  # no JVM to ask (no Java, say): no one read the words, --json among them
        return _refused(error, asked_json=False)
    except (Stopped, KeyboardInterrupt) as stopped:  # KeyboardInterrupt: a Ctrl-C before the JVM started
        signum = stopped.signum if isinstance(stopped, Stopped) else signal.SIGINT
        print(f"{PROG}: stopped by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
    if reply.spoken:
        sys.stdout.write(reply.stdout)
        return reply.code
    try:
        outcome = answer(reply)
    except SparkMergeError as error:
        return _refused(error, reply.json)
    if reply.json:
        print(json.dumps(reply.fields))
    elif isinstance(outcome, list):
        print("\n".join(f"removed {path}" for path in outcome))
    else:
        print(outcome)
    return 0


def _refused(error: SparkMergeError, asked_json: bool) -> int:
    """The error in one line on stderr, as the Python API words it; with ``--json``, also as an object on stdout
    named by the Python class."""
    if asked_json:
        print(json.dumps({"error": type(error).__name__, "message": str(error)}))
    print(f"{PROG}: error: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    code = main()
    # Python's own shutdown puts the default handlers back: a SIGTERM then would end this process as killed,
    # after it said what was done. Everything is written out; nothing is left for that shutdown to do.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
