"""Recommendation results as one CSV file: the job that started sparkmerge.

A recommender scores products for every user and keeps the top N; the consumer downstream (a mailing tool, a
database loader) wants ONE file, sorted by user and then by score, with one header. This demo makes such a
result with spark.range (fast, already in order, in many partitions), writes it with
sparkmerge.write_single, and shows what came out::

    python demo/recommendations.py                      # ~300 MB: 1,500,000 users x top 10
    python demo/recommendations.py --users 20000 --top-n 5 --out /tmp/recs.csv
    python demo/recommendations.py --out hdfs://127.0.0.1:9000/exports/recs.csv   # make demo HDFS=1
    python demo/recommendations.py --s3              # make demo S3=1: a loopback S3 server, through S3A
    python demo/recommendations.py --gcs             # make demo GCS=1: a loopback GCS server, Google's connector
    python demo/recommendations.py --azure           # make demo AZURE=1: Azurite, Hadoop's ABFS connector
"""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
import time
from pathlib import Path
from typing import Callable, ContextManager

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

import sparkmerge

PRODUCTS = 250_000
DEFAULT_OUT = "out/recommendations.csv"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users", type=int, default=1_500_000, help="users to recommend to (default 1,500,000)"
    )
    parser.add_argument("--top-n", type=int, default=10, help="products per user (default 10)")
    parser.add_argument(
        "--partitions", type=int, default=200, help="Spark partitions, so part files (default 200)"
    )
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT,
        help="the file to write: a path, or a URI Spark can write, such as hdfs://... (default %(default)s)",
    )
    parser.add_argument("--master", default="local[*]", help="the Spark master (default local[*])")
    parser.add_argument(
        "--s3",
        action="store_true",
        help="write to a loopback S3 server (moto's, started here and stopped after) through S3A",
    )
    parser.add_argument(
        "--gcs",
        action="store_true",
        help="write to a loopback GCS server (started here and stopped after) through Google's GCS connector",
    )
    parser.add_argument(
        "--azure",
        action="store_true",
        help="write to Azurite, Microsoft's Azure Storage emulator (started here and stopped after), through "
        "Hadoop's ABFS connector (Spark 4)",
    )
    parser.add_argument("--head", type=int, default=8, help="lines of the file to print (default 8)")
    args = parser.parse_args()
    if args.users < 1 or args.top_n < 1 or args.partitions < 1:
        parser.error("--users, --top-n and --partitions must be positive")
    return args


def recommendations(spark: SparkSession, users: int, top_n: int, partitions: int) -> DataFrame:
    """``user_id, product_id, score``: top_n rows per user, by user and then by score descending.

    Row ``i`` is the ``i % top_n``-th best product of user ``i // top_n``, so the range's order is already the
    order wanted and no shuffle is needed. Each user's scores decay from 1.0 (normalized: the best is 1) at a
    rate of its own; products are a hash of user and rank.
    """
    row = F.col("id")
    user = (row / top_n).cast("long")
    rank = row % top_n
    decay = F.lit(0.05) + (F.abs(F.xxhash64(user)) % 1000) / F.lit(2000.0)
    # Six decimals through rint, not F.round: Spark's round goes through BigDecimal, which cost more than the
    # writing it was there to measure (docs/benchmarks.md).
    score: Column = F.rint(F.exp(-decay * rank) * 1e6) / 1e6
    product = F.abs(F.xxhash64(user, rank)) % PRODUCTS + 1
    return spark.range(0, users * top_n, 1, partitions).select(
        user.alias("user_id"), product.alias("product_id"), score.alias("score")
    )


def main() -> None:
    args = parse_args()
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("sparkmerge").setLevel(logging.INFO)
    if not args.s3 and not args.gcs and not args.azure:
        run(args, SparkSession.builder)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dev"))
    import s3_server

    if args.gcs:
        import gcs_server

        connector = s3_server.test_classpath_jars("/gcs-connector-")
        server = "GCS server (fake-gcs-server, dev/gcs-server) on {}, reached through Google's connector"
        run_on_server(
            args, gcs_server.running, connector, gcs_server.connector_settings, "gs://sparkmerge-demo", server
        )
    elif args.azure:
        import azurite

        connector = s3_server.test_classpath_jars("/hadoop-azure-")
        server = (
            f"Azure Blob Storage (Azurite {azurite.VERSION}) on {{}}, reached through Hadoop's ABFS connector"
        )
        root = f"abfs://sparkmerge-demo@{azurite.HOST}"
        # hadoop-azure 3.4.2 logs an ERROR ("Failed to parse the date null") for every folder of a listing on
        # Azurite, such as each task's folder of Spark's commit: noise here.
        quiet = ("org.apache.hadoop.fs.azurebfs.utils.DateTimeUtils",)
        run_on_server(args, azurite.running, connector, azurite.connector_settings, root, server, quiet)
    else:
        server = "S3 server (moto) on {}, reached through S3A"
        run_on_server(
            args,
            s3_server.running,
            s3_server.s3a_jars(),
            s3_server.s3a_settings,
            "s3a://sparkmerge-demo",
            server,
        )


def run_on_server(
    args: argparse.Namespace,
    running: Callable[[str], ContextManager[str]],
    jars: list[str],
    settings: Callable[[str], dict[str, str]],
    root: str,
    server: str,
    quiet: tuple[str, ...] = (),
) -> None:
    """The demo on a loopback server, started with a bucket for it and stopped after, reached through ``jars``
    (the store's connector) with ``settings``; the file goes to ``root``/exports unless --out says where."""
    with running("sparkmerge-demo") as endpoint:
        builder = SparkSession.builder.config("spark.driver.extraClassPath", ":".join(jars))
        for key, value in settings(endpoint).items():
            builder = builder.config(f"spark.hadoop.{key}", value)
        if args.out == DEFAULT_OUT:
            args.out = f"{root}/exports/recommendations.csv"
        print(server.format(endpoint))
        run(args, builder, quiet)


def run(args: argparse.Namespace, builder: SparkSession.Builder, quiet: tuple[str, ...] = ()) -> None:
    """The demo in a session of ``builder``, with the loggers ``quiet`` silent."""
    builder = (
        builder.master(args.master).appName("sparkmerge-demo").config("spark.ui.showConsoleProgress", "false")
    )
    spark = sparkmerge.configure(builder).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    jvm = spark._jvm
    assert jvm is not None
    for name in quiet:
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
            name, jvm.org.apache.logging.log4j.Level.OFF
        )
    try:
        df = recommendations(spark, args.users, args.top_n, args.partitions)
        rows = args.users * args.top_n
        print(
            f"writing {rows:,} recommendations ({args.users:,} users x top {args.top_n}) "
            f"from {args.partitions} partitions to {args.out}"
        )
        started = time.monotonic()
        result = sparkmerge.write_single(df, args.out, header=True, mode="overwrite", progress=True)
        elapsed = time.monotonic() - started
        head = head_lines(spark, args.out, args.head)
    finally:
        spark.stop()

    print(f"rows:     {rows:,}")
    print(f"bytes:    {result.bytes:,} ({result.bytes / 1048576:.1f} MiB)")
    print(f"parts:    {result.files} merged into {result.target}")
    print(f"strategy: {result.strategy}" + (f" ({result.reason})" if result.reason else ""))
    # On local disk most parts are copied while Spark still writes (see the strategy line): what is left to
    # wait for after the job is the merge's own time.
    print(
        f"time:     {elapsed:.1f} s for the whole write, {result.seconds:.2f} s of it merging after the job"
    )
    print(f"first {args.head} lines of {args.out}:")
    for line in head:
        print("  " + line)


def head_lines(spark: SparkSession, path: str, count: int) -> list[str]:
    """The first lines of a file on any Hadoop file system (local, hdfs://, ...), read by the driver's JVM."""
    jvm = spark._jvm
    assert jvm is not None
    file = jvm.org.apache.hadoop.fs.Path(path)
    fs = file.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())  # type: ignore[union-attr]
    reader = jvm.java.io.BufferedReader(jvm.java.io.InputStreamReader(fs.open(file), "UTF-8"))
    try:
        lines = (reader.readLine() for _ in range(count))
        return list(itertools.takewhile(lambda line: line is not None, lines))
    finally:
        reader.close()


if __name__ == "__main__":
    main()
