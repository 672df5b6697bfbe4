"""``python -m sparkmerge SOURCE TARGET``: merge a directory Spark wrote into one file, from the shell.

The merge runs in a plain JVM (``sparkmerge.MergeMain``), not in a SparkSession: it needs Hadoop's FileSystem
only, and a session took seconds to start for a merge that may take less than one.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import NoReturn, Optional, Sequence

from . import __version__
from ._merge_main import Stopped, merge_fields, run_clean, run_merge
from .errors import SparkMergeError

PROG = "python -m sparkmerge"


class _OneLineParser(argparse.ArgumentParser):
    """argparse, with its refusals in one line that says what to do, not the usage above them."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -") or "expected one argument" in message:
            message += " (a path that starts with '-' goes after --: SOURCE and TARGET follow it)"
        self.exit(2, f"{PROG}: error: {message}; see {PROG} --help\n")


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = _OneLineParser(
        prog=PROG,
        usage=f"{PROG} [options] SOURCE TARGET\n       {PROG} --clean PATH",
        description="Merge the part-* files of a directory Spark wrote into one file, in part order.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="SOURCE TARGET",
        help="the directory Spark wrote (any Hadoop path), and the one file to write; a TARGET with "
        "{column} in it, out/{country}.csv, makes a file per value of a directory written with partitionBy",
    )
    parser.add_argument("--header", action="store_true", help="each part starts with a header line: keep one")
    parser.add_argument("--overwrite", action="store_true", help="replace TARGET if it exists")
    parser.add_argument("--delete-source", action="store_true", help="remove SOURCE once TARGET is in place")
    parser.add_argument(
        "--option",
        "-o",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="how the parts were written, by Spark's option names: sep, quote, escape, lineSep, encoding",
    )
    parser.add_argument(
        "--missing-newline",
        default="add",
        metavar="add|refuse",
        help="where a part's last line has no line break: add one (the default), or refuse the merge",
    )
    parser.add_argument(
        "--clean",
        metavar="PATH",
        help="remove what merges to PATH (a target, or a directory of targets) left when they were killed",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print the result as one JSON object on stdout (an error as {"error": ..., "message": ...})',
    )
    # The merge once ran in a SparkSession, which --master chose. It is still taken, so that the scripts that
    # pass it keep working, and it changes nothing: no Spark runs any more.
    parser.add_argument("--master", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)
    if args.clean is None and len(args.paths) != 2:
        parser.error("give SOURCE and TARGET, or --clean PATH")
    if args.clean is not None and args.paths:
        parser.error("--clean takes one PATH and no SOURCE or TARGET")
    for option in args.option:
        if "=" not in option:
            parser.error(f"--option {option} is not KEY=VALUE")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        if args.clean is not None:
            removed = run_clean(args.clean)
            print(
                json.dumps({"removed": removed}) if args.json else "\n".join(f"removed {r}" for r in removed)
            )
            return 0
        merge = dict(
            header=args.header,
            overwrite=args.overwrite,
            delete_source=args.delete_source,
            missing_newline=args.missing_newline,
            options=dict(option.split("=", 1) for option in args.option),
        )
        if args.json:
            print(json.dumps(merge_fields(args.paths[0], args.paths[1], **merge)))
        else:
            print(run_merge(args.paths[0], args.paths[1], **merge))
        return 0
    except SparkMergeError as error:
        if args.json:
            print(json.dumps({"error": type(error).__name__, "message": str(error)}))
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except (Stopped, KeyboardInterrupt) as stopped:  # KeyboardInterrupt: a Ctrl-C before the JVM started
        signum = stopped.signum if isinstance(stopped, Stopped) else signal.SIGINT
        print(f"{PROG}: stopped by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum


if __name__ == "__main__":
    sys.exit(main())
