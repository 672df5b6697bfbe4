"""S3 on a loopback server (s3proxy or moto, through S3A): the store's own copies against the copy through this
JVM, and write_single against coalesce(1) and the plain parallel write, all to s3a://, in one run.

The merges take turns, the server-side copy and the copy through the JVM (``sparkmerge.s3.server-side=false``),
after one untimed run of each, on the same parts: 1 GiB in 32 parts and in 1,000 parts, written by Spark's
parallel write. Every figure is the median of --runs runs. Results: a table on stdout, JSON and Markdown in
bench/results/s3-<server>.*::

    make bench-s3                                   # s3proxy, 1 GiB, 3 runs each
    .venv/bin/python bench/s3.py --server moto      # moto's server, about 25 minutes
    .venv/bin/python bench/s3.py --gb 0.25 --runs 1
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from pyspark.sql import DataFrame, SparkSession

import sparkmerge
import session
from run import BYTES_PER_ROW, load_demo, machine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "dev"))
import s3_server  # noqa: E402  (dev/ is not a package)
import s3proxy  # noqa: E402

BUCKET = "sparkmerge-bench"
#: The loopback S3 servers, and how to start one.
SERVERS = {"s3proxy": s3proxy.running, "moto": s3_server.running}
SERVER_SIDE = "sparkmerge.s3.server-side"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument(
        "--server", choices=SERVERS, default="s3proxy", help="the loopback S3 server (default s3proxy)"
    )
    return parser.parse_args()


class Store:
    """The bench's bucket, seen through the session's own S3A."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark
        jvm = spark._jvm
        assert jvm is not None
        self.conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        self._path = jvm.org.apache.hadoop.fs.Path
        self.fs = self._path(f"s3a://{BUCKET}/").getFileSystem(self.conf)

    def url(self, key: str) -> str:
        return f"s3a://{BUCKET}/{key}"

    def delete(self, key: str) -> None:
        self.fs.delete(self._path(self.url(key)), True)

    def length(self, key: str) -> int:
        return int(self.fs.getFileStatus(self._path(self.url(key))).getLen())


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.monotonic()
    value = run()
    return time.monotonic() - started, value


def through_jvm(result: sparkmerge.MergeResult) -> float:
    """The MiB this JVM read and uploaded, as the result's reason says (all of them for a copy)."""
    found = re.search(r"([0-9.]+) MiB went through this JVM", result.reason)
    return float(found.group(1)) if found else result.bytes / 2**20


def merges(spark: SparkSession, store: Store, parts: str, runs: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {"server-side": [], "copy": []}
    moved: dict[str, float] = {}
    strategy: dict[str, str] = {}
    # One untimed run of each way first: the first merge of a JVM also loads and warms the SDK's upload calls
    # (31 s against 15 s for the next, in the first run of this benchmark).
    for warm_up in (True,) + (False,) * runs:
        for way in times:
            store.delete("merged.csv")
            store.conf.set(SERVER_SIDE, "true" if way == "server-side" else "false")
            seconds, result = timed(
                lambda: sparkmerge.merge(spark, store.url(parts), store.url("merged.csv"))
            )
            if warm_up:
                continue
            times[way].append(seconds)
            moved[way] = through_jvm(result)
            strategy[way] = result.strategy
            print(
                f"  {parts}: {way} {seconds:.2f} s ({result.strategy}; {moved[way]:.1f} MiB through this JVM)"
            )
    store.conf.unset(SERVER_SIDE)
    store.delete("merged.csv")
    median = {way: statistics.median(t) for way, t in times.items()}
    return {
        "runs": times,
        "median": median,
        "mib_through_jvm": moved,
        "strategy": strategy,
        "copy_vs_server_side": median["copy"] / median["server-side"],
    }


def spark_ways(df: DataFrame, store: Store, runs: int) -> dict[str, Any]:
    ways: dict[str, Callable[[str], Any]] = {
        "coalesce(1)": lambda url: df.coalesce(1).write.csv(url, header=True),
        "parallel write (a directory)": lambda url: df.write.csv(url, header=True),
        "write_single": lambda url: sparkmerge.write_single(df, url, header=True),
    }
    times: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(runs):
        for i, (way, write) in enumerate(ways.items()):
            key = f"way-{i}"
            store.delete(key)
            seconds, _ = timed(lambda: write(store.url(key)))
            times[way].append(seconds)
            store.delete(key)
            print(f"  {way}: {seconds:.2f} s")
    median = {way: statistics.median(t) for way, t in times.items()}
    return {"runs": times, "median": median, "vs_coalesce": median["coalesce(1)"] / median["write_single"]}


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB; Spark local[2]; {results['args']['server']} on "
        f"127.0.0.1 through S3A; median of {results['args']['runs']} runs.",
        "",
        f"**Merging the parts of a parallel write, {results['mib']:.0f} MiB** (target on s3a://)",
        "",
        "| parts | server-side s | MiB through this JVM | copy through this JVM s | copy / server-side |",
        "|---:|---:|---:|---:|---:|",
    ]
    for count, merge in results["merges"].items():
        lines.append(
            f"| {int(count):,} | {merge['median']['server-side']:.2f} | {merge['mib_through_jvm']['server-side']:.1f}"
            f" | {merge['median']['copy']:.2f} | {merge['copy_vs_server_side']:.1f}x |"
        )
    ways = results["spark"]["median"]
    lines += [
        "",
        "**One CSV out of Spark, to s3a://**",
        "",
        "| how | seconds | vs coalesce(1) |",
        "|---|---:|---:|",
    ]
    for way, seconds in ways.items():
        lines.append(f"| {way} | {seconds:.2f} | {ways['coalesce(1)'] / seconds:.2f}x |")
    big = results["merges"][str(results["args"]["partitions_large"])]
    share = big["mib_through_jvm"]["server-side"] / results["mib"]
    lines += [
        "",
        "**Targets**",
        "",
        "| target | measured | wanted | met |",
        "|---|---:|---:|:---:|",
        f"| server-side vs copy through the JVM ({results['args']['partitions_large']} parts) | "
        f"{big['copy_vs_server_side']:.1f}x | >= 3 | {'yes' if big['copy_vs_server_side'] >= 3 else 'no'} |",
        f"| bytes through the driver, parts of 5 MiB or more | {share:.2%} | <= 1% | {'yes' if share <= 0.01 else 'no'} |",
        f"| write_single vs coalesce(1) | {results['spark']['vs_coalesce']:.2f}x | >= 1.35 | "
        f"{'yes' if results['spark']['vs_coalesce'] >= 1.35 else 'no'} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_args()
    demo = load_demo()
    top_n = 10
    users = int(args.gb * 2**30 / BYTES_PER_ROW / top_n)
    results: dict[str, Any] = {"machine": machine(), "args": {**vars(args), "partitions_large": 32}}
    with SERVERS[args.server](BUCKET) as endpoint:
        builder = session.builder("sparkmerge-bench-s3").config(
            "spark.driver.extraClassPath", ":".join(s3_server.s3a_jars())
        )
        for key, value in s3_server.s3a_settings(endpoint).items():
            builder = builder.config(f"spark.hadoop.{key}", value)
        spark = session.start(builder)
        try:
            store = Store(spark)
            results["merges"] = {}
            for partitions in (32, 1000):
                df = demo.recommendations(spark, users, top_n, partitions)
                print(f"parts: {partitions} partitions of {users * top_n:,} rows, written by Spark to s3a://")
                df.write.csv(store.url(f"parts-{partitions}"))
                results["merges"][str(partitions)] = merges(spark, store, f"parts-{partitions}", args.runs)
                store.delete(f"parts-{partitions}")
            df = demo.recommendations(spark, users, top_n, 32)
            print("one CSV out of Spark, to s3a://")
            results["spark"] = spark_ways(df, store, args.runs)
            sparkmerge.write_single(df, store.url("size.csv"), header=True)
            results["mib"] = store.length("size.csv") / 2**20
        finally:
            spark.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"s3-{args.server}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"s3-{args.server}.md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
