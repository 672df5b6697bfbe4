"""HDFS concat against the streaming copy, on the mini HDFS, at one size and at four times that size.

The same part count at both sizes: ``merge(..., delete_source=True)`` joins the parts' blocks on the NameNode
(concat), so its time should not grow with the data; ``merge(...)`` keeping the sources reads and writes every
byte (copy). Every figure is the median of --runs runs after a warm-up. The parts are written straight through
the Hadoop client (CSV-like lines, the same length each), fresh for every concat, which consumes them; the copy
reuses one set. Results: a table on stdout and JSON in bench/results/hdfs_concat.json::

    .venv/bin/python bench/hdfs_concat.py                      # 256 MiB and 1 GiB in 64 parts, ~2 min
    .venv/bin/python bench/hdfs_concat.py --quick              # 64 MiB and 256 MiB
    .venv/bin/python bench/hdfs_concat.py --uri hdfs://127.0.0.1:9000   # an HDFS already running
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from pyspark.sql import SparkSession

import session
import sparkmerge

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "dev"))
from mini_hdfs import MiniHdfsError, running  # noqa: E402  (dev/ is not a package)

CHUNK = 1 << 20  # the parts are written a MiB at a time from one buffer in the JVM
LINE = 32  # bytes per line of the generated CSV: 32,768 whole lines per chunk


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=256, help="the smaller size, in MiB (default 256)")
    parser.add_argument("--scale", type=int, default=4, help="the larger size, times --mib (default 4)")
    parser.add_argument("--parts", type=int, default=64, help="part files at either size (default 64)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure, after a warm-up (default 3)")
    parser.add_argument("--quick", action="store_true", help="64 MiB and 4x: a smoke run")
    parser.add_argument("--uri", help="an HDFS already running (default: start a mini HDFS, stop it after)")
    parser.add_argument(
        "--json", type=Path, default=HERE / "results" / "hdfs_concat.json", help="where the JSON goes"
    )
    args = parser.parse_args()
    if args.quick:
        args.mib = 64
    if min(args.mib, args.scale, args.parts, args.runs) < 1:
        parser.error("--mib, --scale, --parts and --runs must be positive")
    if (args.mib << 20) % (args.parts * CHUNK):
        parser.error("--mib must be a multiple of --parts (the parts are whole MiB)")
    return args


@contextmanager
def mini_hdfs() -> Iterator[str]:
    """A mini HDFS in a scratch directory of its own, for the time of the benchmark."""
    with tempfile.TemporaryDirectory(prefix="sparkmerge-bench-hdfs-") as scratch:
        try:
            with running(Path(scratch)) as uri:
                yield uri
        except MiniHdfsError as error:
            sys.exit(str(error))


class Cluster:
    """The HDFS as the driver's Hadoop client sees it."""

    def __init__(self, spark: SparkSession, uri: str) -> None:
        self.uri = uri
        self.spark = spark
        jvm: Any = spark._jvm
        self._jvm = jvm
        self._fs = jvm.org.apache.hadoop.fs.FileSystem.get(
            jvm.java.net.URI(uri),
            spark.sparkContext._jsc.hadoopConfiguration(),  # type: ignore[union-attr]
        )
        lines = b"".join(
            b"%09d,%06d,0.%06d,bench\n" % (i, i % 250_000, i % 999_983) for i in range(CHUNK // LINE)
        )
        assert len(lines) == CHUNK
        self._chunk = jvm.java.nio.ByteBuffer.wrap(bytearray(lines))  # crosses py4j once

    def path(self, path: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def write_parts(self, directory: str, total: int, count: int) -> None:
        """count parts of total bytes together, as part-00000-... files, and a _SUCCESS, in a new directory."""
        self.delete(directory)
        chunks = total // count // CHUNK
        for i in range(count):
            out = self._fs.create(self.path(f"{directory}/part-{i:05d}-bench-c000.csv"), False)
            channel = self._jvm.java.nio.channels.Channels.newChannel(out)
            try:
                for _ in range(chunks):
                    self._chunk.rewind()
                    channel.write(self._chunk)
            finally:
                out.close()
        self._fs.create(self.path(f"{directory}/_SUCCESS"), False).close()

    def put(self, parts: list[Path], directory: str) -> None:
        """Local files copied into a new directory, under their names."""
        self.delete(directory)
        for part in parts:
            self._fs.copyFromLocalFile(self.path(f"file://{part}"), self.path(f"{directory}/{part.name}"))

    def length(self, path: str) -> int:
        return int(self._fs.getFileStatus(self.path(path)).getLen())

    def delete(self, path: str) -> None:
        self._fs.delete(self.path(path), True)


def timed_merge(
    cluster: Cluster, source: str, target: str, delete_source: bool, expected: int, strategy: str
) -> float:
    started = time.perf_counter()
    result = sparkmerge.merge(cluster.spark, source, target, delete_source=delete_source)
    seconds = time.perf_counter() - started
    if (result.strategy, result.bytes, cluster.length(target)) != (strategy, expected, expected):
        raise RuntimeError(f"expected {strategy} of {expected} bytes, got {result} ({result.reason})")
    cluster.delete(target)
    return seconds


def measure(cluster: Cluster, total: int, parts: int, runs: int) -> dict[str, Any]:
    """Median seconds of the copy (sources kept, so one set of parts serves every run) and of concat."""
    base = f"{cluster.uri}/bench/{total >> 20}MiB"
    source, target = f"{base}/parts", f"{base}/merged.csv"
    cluster.write_parts(source, total, parts)
    copy = [timed_merge(cluster, source, target, False, total, "copy") for _ in range(runs)]
    concat = []
    for run in range(runs):
        if run:
            cluster.write_parts(source, total, parts)  # the last concat consumed them
        concat.append(timed_merge(cluster, source, target, True, total, "concat"))
    cluster.delete(base)
    row = {
        "data_mib": total >> 20,
        "parts": parts,
        "concat_s": statistics.median(concat),
        "copy_s": statistics.median(copy),
    }
    row["copy_mib_s"] = row["data_mib"] / row["copy_s"]
    row["copy_over_concat"] = row["copy_s"] / row["concat_s"]
    print(
        f"  {row['data_mib']:>6,} MiB: concat {row['concat_s']:.3f} s, copy {row['copy_s']:.2f} s "
        f"(runs: concat {', '.join(f'{s:.3f}' for s in concat)}; copy {', '.join(f'{s:.2f}' for s in copy)})",
        flush=True,
    )
    return {"row": row, "concat_runs": concat, "copy_runs": copy}


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| data | parts | concat (s) | copy (s) | copy (MiB/s) | copy / concat |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        size = f"{r['data_mib'] >> 10} GiB" if r["data_mib"] % 1024 == 0 else f"{r['data_mib']} MiB"
        lines.append(
            f"| {size} | {r['parts']} | {r['concat_s']:.3f} | {r['copy_s']:.2f} | {r['copy_mib_s']:.0f} "
            f"| {r['copy_over_concat']:.0f}x |"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace, uri: str) -> dict[str, Any]:
    builder = (
        session.builder("sparkmerge-bench-hdfs", memory="1g")
        # The writer's side of a one-DataNode cluster: one replica, and closes that do not wait 400 ms.
        .config("spark.hadoop.dfs.replication", "1")
        .config("spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "5")
    )
    spark = session.start(builder)
    try:
        cluster = Cluster(spark, uri)
        print(
            f"HDFS concat against copy on {uri}: {args.parts} parts, median of {args.runs} runs", flush=True
        )
        warm, size = f"{uri}/bench/warm-up", args.parts * CHUNK
        for consume in (False, True, False, True):  # JIT and the first connections, with both strategies
            cluster.write_parts(f"{warm}/parts", size, args.parts)
            strategy = "concat" if consume else "copy"
            timed_merge(cluster, f"{warm}/parts", f"{warm}/merged", consume, size, strategy)
        cluster.delete(warm)
        figures = [
            measure(cluster, mib << 20, args.parts, args.runs) for mib in (args.mib, args.mib * args.scale)
        ]
    finally:
        spark.stop()
    rows = [f["row"] for f in figures]
    return {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()},
        "args": {"mib": args.mib, "scale": args.scale, "parts": args.parts, "runs": args.runs},
        "hdfs": "mini HDFS (MiniDFSCluster, 1 DataNode, 127.0.0.1)" if args.uri is None else args.uri,
        "rows": rows,
        "runs": [
            {"data_mib": f["row"]["data_mib"], "concat": f["concat_runs"], "copy": f["copy_runs"]}
            for f in figures
        ],
        "concat_growth": rows[-1]["concat_s"] / rows[0]["concat_s"],
        "copy_growth": rows[-1]["copy_s"] / rows[0]["copy_s"],
        "markdown": markdown(rows),
    }


def main() -> None:
    args = parse_args()
    if args.uri:
        results = run(args, args.uri)
    else:
        with mini_hdfs() as uri:
            results = run(args, uri)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(results["markdown"])
    print(
        f"\n{args.scale}x the data: concat {results['concat_growth']:.2f}x the time, copy "
        f"{results['copy_growth']:.2f}x; JSON in {args.json}"
    )


if __name__ == "__main__":
    main()
