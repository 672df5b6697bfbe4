"""``python -m sparkmerge SOURCE TARGET``: merge a directory Spark wrote into one file, from the shell."""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import __version__
from ._jar import configure
from .errors import SparkMergeError
from .merge import merge

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
    parser.add_argument("--master", help="the Spark master (default: Spark's own, local[*] on a laptop)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("sparkmerge").config("spark.ui.enabled", "false")
    if args.master:
        builder = builder.master(args.master)
    try:
        spark = configure(builder).getOrCreate()
    except SparkMergeError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    try:
        spark.sparkContext.setLogLevel("ERROR")
        result = merge(
            spark,
            args.source,
            args.target,
            header=args.header,
            overwrite=args.overwrite,
            delete_source=args.delete_source,
        )
    except SparkMergeError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
