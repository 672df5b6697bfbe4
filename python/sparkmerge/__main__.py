"""``python -m sparkmerge SOURCE TARGET``: merge a directory Spark wrote into one file, from the shell.

The merge runs in a plain JVM (``sparkmerge.MergeMain``), not in a SparkSession: it needs Hadoop's FileSystem
only, and a session took seconds to start for a merge that may take less than one.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Optional, Sequence

from . import __version__
from ._merge_main import Stopped, run_merge
from .errors import SparkMergeError

PROG = "python -m sparkmerge"


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Merge the part-* files of a directory Spark wrote into one file, in part order.",
    )
    parser.add_argument("source", metavar="SOURCE", help="the directory Spark wrote (any Hadoop path)")
    parser.add_argument("target", metavar="TARGET", help="the one file to write")
    parser.add_argument("--header", action="store_true", help="each part starts with a header line: keep one")
    parser.add_argument("--overwrite", action="store_true", help="replace TARGET if it exists")
    parser.add_argument("--delete-source", action="store_true", help="remove SOURCE once TARGET is in place")
    # The merge once ran in a SparkSession, which --master chose. It is still taken, so that the scripts that
    # pass it keep working, and it changes nothing: no Spark runs any more.
    parser.add_argument("--master", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = parse_args(argv)
        result = run_merge(
            args.source,
            args.target,
            header=args.header,
            overwrite=args.overwrite,
            delete_source=args.delete_source,
        )
    except SparkMergeError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except (Stopped, KeyboardInterrupt) as stopped:  # KeyboardInterrupt: a Ctrl-C before the JVM started
        signum = stopped.signum if isinstance(stopped, Stopped) else signal.SIGINT
        print(f"{PROG}: stopped by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
