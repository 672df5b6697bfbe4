"""Parquet and ORC as one file at one size and at four times that size, in one run: the concat on the mini HDFS
(its time should not grow with the data), the merge's peak memory (it holds footers, never data), and the
ORC merge against cat of the same bytes on local disk.

Spark writes the parts once per format and size, with the same part count at both sizes; every HDFS run puts
them on the mini HDFS afresh (a concat consumes them), untimed. Results: a table on stdout, JSON and Markdown
in bench/results/::

    make bench-formats                                   # with bench/formats.py
    .venv/bin/python bench/formats_scale.py --mib 64 --runs 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from formats import BYTES_PER_ROW, table
from hdfs_concat import Cluster, mini_hdfs
from memory import peak_memory
from pyspark.sql import SparkSession

import session
import sparkmerge
from run import machine
from timing import round_robin

HERE = Path(__file__).resolve().parent

FORMATS = ("parquet", "orc")


def parts_of(directory: Path, fmt: str) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith("part-") and p.name.endswith(f".{fmt}"))


def concat_seconds(
    spark: SparkSession, hdfs: Cluster, parts: list[Path], name: str, runs: int
) -> list[float]:
    """Seconds of each merge that consumes the parts (a concat), the parts put there afresh before each."""
    times = []
    for _ in range(runs):
        source, target = f"{hdfs.uri}/bench/{name}/parts", f"{hdfs.uri}/bench/{name}/one"
        hdfs.put(parts, source)
        started = time.perf_counter()
        result = sparkmerge.merge(spark, source, target, delete_source=True)
        times.append(time.perf_counter() - started)
        expected = sum(p.stat().st_size for p in parts)
        if result.strategy != "concat" or hdfs.length(target) <= expected:
            raise RuntimeError(f"{name}: expected a concat of {expected} bytes and a footer, got {result}")
        hdfs.delete(f"{hdfs.uri}/bench/{name}")
    return times


def cat(parts: list[Path], target: Path) -> None:
    with open(target, "wb") as out:
        subprocess.run(["cat", *map(str, parts)], stdout=out, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=256, help="the smaller size, in MiB (default 256)")
    parser.add_argument("--scale", type=int, default=4, help="the larger size, times --mib (default 4)")
    parser.add_argument("--partitions", type=int, default=16, help="parts at either size (default 16)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, after a warm-up (default 3)")
    parser.add_argument(
        "--merge-runs", type=int, default=15, help="runs of the merge and of cat on local disk (default 15)"
    )
    args = parser.parse_args()
    sizes = (args.mib, args.mib * args.scale)
    work = Path(tempfile.mkdtemp(prefix="sparkmerge-bench-scale-"))
    builder = (
        session.builder("sparkmerge-bench-formats-scale")
        .config("spark.hadoop.dfs.replication", "1")
        .config("spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "5")
    )
    spark = session.start(builder)
    written: dict[tuple[str, int], list[Path]] = {}
    for fmt in FORMATS:
        for mib in sizes:
            rows = int((mib << 20) / BYTES_PER_ROW)
            directory = work / f"{fmt}-{mib}"
            table(spark, rows, args.partitions).write.format(fmt).save(str(directory))
            written[fmt, mib] = parts_of(directory, fmt)
    print(f"Parquet and ORC at {sizes[0]} and {sizes[1]} MiB in {args.partitions} parts; {args.runs} runs")

    memory = {
        f"{fmt} {mib} MiB": peak_memory(work / f"{fmt}-{mib}", work / f"peak.{fmt}", "512m")
        for fmt in FORMATS
        for mib in sizes
    }
    with mini_hdfs() as uri:
        hdfs = Cluster(spark, uri)
        concat_seconds(spark, hdfs, written["parquet", sizes[0]], "warm-up", 2)
        concat = {
            f"{fmt} {mib} MiB": concat_seconds(spark, hdfs, written[fmt, mib], f"{fmt}-{mib}", args.runs)
            for fmt in FORMATS
            for mib in sizes
        }
    big = written["orc", sizes[1]]
    local: dict[str, tuple[Callable[[], Any], Path]] = {
        "sparkmerge.merge of ORC": (
            lambda: sparkmerge.merge(spark, big[0].parent, work / "m.orc"),
            work / "m.orc",
        ),
        "cat of the same parts": (lambda: cat(big, work / "cat.orc"), work / "cat.orc"),
    }
    round_robin(local, 1)
    # Runs of a quarter of a second vary more than the target's margin: more of them, as bench/formats.py takes.
    local_times = round_robin(local, args.merge_runs)
    assert spark.read.orc(str(work / "m.orc")).count() == spark.read.orc(str(big[0].parent)).count()
    sizes_of = {
        f"{fmt} {mib} MiB": sum(p.stat().st_size for p in parts) for (fmt, mib), parts in written.items()
    }
    spark.stop()
    subprocess.run(["rm", "-rf", str(work)], check=True)

    median = {name: statistics.median(t) for name, t in {**concat, **local_times}.items()}
    results: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "sizes_mib": sizes,
        "partitions": args.partitions,
        "bytes": sizes_of,
        "memory": memory,
        "concat_runs": concat,
        "local_runs": local_times,
        "median": median,
    }
    small, large = (f"{s} MiB" for s in sizes)
    results["targets"] = [
        *(
            (
                f"{fmt} concat on HDFS, {args.scale}x the data: time",
                median[f"{fmt} {large}"] / median[f"{fmt} {small}"],
                "<= 1.2",
            )
            for fmt in FORMATS
        ),
        *(
            (
                f"{fmt} merge, {args.scale}x the data: peak memory",
                memory[f"{fmt} {large}"]["peak_rss_mib"] / memory[f"{fmt} {small}"]["peak_rss_mib"],
                "<= 1.2",
            )
            for fmt in FORMATS
        ),
        (
            "ORC merge throughput vs cat",
            median["cat of the same parts"] / median["sparkmerge.merge of ORC"],
            ">= 0.9",
        ),
    ]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "formats_scale.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / "results" / "formats_scale.md").write_text(report(results))
    print(report(results))


def report(r: dict[str, Any]) -> str:
    m = r["machine"]
    where = f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['java']}, Python {m['python']}"
    lines = [
        f"Date: {r['date']}. Machine: {where}; Spark local[2]; median of {len(next(iter(r['concat_runs'].values())))} runs "
        f"({len(next(iter(r['local_runs'].values())))} on local disk)."
    ]
    lines += [
        "",
        "| parts of | bytes | concat on HDFS (s) | merge's peak RSS (MiB, -Xmx512m) |",
        "|---|---:|---:|---:|",
    ]
    for name, size in r["bytes"].items():
        lines.append(
            f"| {name} | {size:,} | {r['median'][name]:.3f} | {r['memory'][name]['peak_rss_mib']:.0f} |"
        )
    lines += ["", "| on local disk | seconds |", "|---|---:|"]
    lines += [f"| {name} | {r['median'][name]:.2f} |" for name in r["local_runs"]]
    lines += ["", "| target | measured | wanted | met |", "|---|---:|---:|:---:|"]
    for name, value, wanted in r["targets"]:
        bound = float(wanted.split()[-1])
        met = value <= bound if wanted.startswith("<=") else value >= bound
        lines.append(f"| {name} | {value:.2f} | {wanted} | {'yes' if met else 'no'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
