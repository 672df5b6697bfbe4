"""The benchmark behind the figures in docs/benchmarks.md: sparkmerge against coalesce(1), repartition(1) and cat, in one run.

Every figure is the median of --runs runs after a warm-up (three times as many for the merges against cat,
which take under a second), and every ratio is taken against a baseline measured in the same run on the same
data, so the machine's speed cancels out. Results go to bench/results/ as JSON, a Markdown table and a PNG
chart::

    make bench                                  # about 1 GiB, 5 runs each
    .venv/bin/python bench/run.py --gb 0.25 --runs 1 --skip-hdfs
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

from pyspark.sql import DataFrame, SparkSession

import sparkmerge
from data import big_parts, small_parts
from memory import peak_memory
from report import AFTER, NOOP, WHILE
import session
from timing import round_robin

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BYTES_PER_ROW = 22  # "user_id,product_id,score\n" as the demo's generator writes it, on average


def load_demo() -> Any:
    spec = importlib.util.spec_from_file_location(
        "demo_recommendations", HERE.parent / "demo" / "recommendations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files_of(directory: Path) -> list[str]:
    """The data parts, in the order sparkmerge uses (task number), for cat."""
    names = [n for n in os.listdir(directory) if not n.startswith(("_", "."))]
    return sorted(names, key=lambda n: int(n.split("-")[1]))


def cat(directory: Path, target: Path) -> None:
    with open(target, "wb") as out:
        subprocess.run(["cat", *files_of(directory)], cwd=directory, stdout=out, check=True)


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "?",
    )
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": java,
    }


def spark_writes(spark: SparkSession, df: DataFrame, work: Path, runs: int) -> dict[str, Any]:
    """The ways to get one CSV out of Spark, and the parallel write that sparkmerge starts from."""
    out = work / "spark"
    single = out / "single.csv"
    merge_seconds: dict[str, list[float]] = {WHILE: [], AFTER: []}

    def write_single() -> None:
        result = sparkmerge.write_single(df, single, header=True, mode="overwrite")
        merge_seconds[WHILE].append(result.seconds)

    def write_single_merging_after() -> None:
        spark.conf.set("spark.sparkmerge.copyAhead", "false")
        try:
            result = sparkmerge.write_single(df, single, header=True, mode="overwrite")
        finally:
            spark.conf.unset("spark.sparkmerge.copyAhead")
        merge_seconds[AFTER].append(result.seconds)

    def spark_write(how: Callable[[DataFrame], DataFrame], output: Path) -> tuple[Callable[[], None], Path]:
        return (lambda: how(df).write.csv(str(output), header=True)), output

    def compute_only() -> None:
        df.write.format("noop").mode("overwrite").save()

    ways: dict[str, tuple[Callable[[], Any], Path]] = {
        NOOP: (compute_only, out / "noop"),
        "coalesce(1)": spark_write(lambda d: d.coalesce(1), out / "coalesce"),
        "repartition(1)": spark_write(lambda d: d.repartition(1), out / "repartition"),
        "parallel write (a directory)": spark_write(lambda d: d, out / "parallel"),
        WHILE: (write_single, single),
        AFTER: (write_single_merging_after, single),
    }
    write_single()  # warm-up: JIT, page cache, the first Spark job's setup
    merge_seconds[WHILE].clear()
    figures: dict[str, Any] = {}
    for name, times in round_robin(ways, runs, evicting=True).items():
        figures[name] = {"seconds": statistics.median(times), "runs": times}
        print(f"  {name:42s} {figures[name]['seconds']:7.2f} s")
    for name, seconds in merge_seconds.items():
        figures[name]["merge_seconds"] = statistics.median(seconds)
    figures["bytes"] = single.stat().st_size
    return figures


def merge_vs_cat(spark: SparkSession, parts: Path, work: Path, runs: int, label: str) -> dict[str, Any]:
    """The merge alone against cat of the same parts, both from the page cache. Where the parts have checksum
    files (Spark writes them on local disk), the merge checks them; it runs a third time on the same parts
    without them (hard links in a folder of their own), to show what the check costs.

    Three times `runs` each: a run takes under a second, and on this benchmark's VM one in four or five of
    either way, at random, wrote into memory four times slower to fill than the rest."""
    merged, catted, unchecked = work / f"{label}-merged", work / f"{label}-cat", work / f"{label}-unchecked"
    size = sum((parts / n).stat().st_size for n in files_of(parts))
    checksums = any(name.endswith(".crc") for name in os.listdir(parts))
    bare = work / f"{label}-without-checksums"
    bare.mkdir()
    for name in files_of(parts):
        os.link(parts / name, bare / name)
    sparkmerge.merge(spark, parts, merged, overwrite=True)  # warm-up, and the page cache
    cat(parts, catted)
    ways: dict[str, tuple[Callable[[], Any], Path]] = {
        "merge": (lambda: sparkmerge.merge(spark, parts, merged), merged),
        "cat": (lambda: cat(parts, catted), catted),
    }
    if checksums:
        ways["unchecked"] = (lambda: sparkmerge.merge(spark, bare, unchecked), unchecked)
    times = round_robin(ways, 3 * runs)
    median = {name: statistics.median(t) for name, t in times.items()}
    assert merged.read_bytes() == catted.read_bytes(), "merge and cat disagree"
    shutil.rmtree(bare)
    print(
        f"  {label}: merge {median['merge']:.2f} s, cat {median['cat']:.2f} s "
        f"({len(files_of(parts))} files, {size / 2**20:.0f} MiB"
        + (f"; without checking checksums {median['unchecked']:.2f} s)" if checksums else ")")
    )
    return {
        "files": len(files_of(parts)),
        "bytes": size,
        "merge_seconds": median["merge"],
        "cat_seconds": median["cat"],
        "unchecked_seconds": median.get("unchecked"),
        "merge_runs": times["merge"],
        "cat_runs": times["cat"],
        "merge_vs_cat_throughput": median["cat"] / median["merge"],
    }


def hdfs(work: Path, quick: bool) -> dict[str, Any] | None:
    script = HERE / "hdfs_concat.py"
    if not script.exists():
        return None
    out = work / "hdfs.json"
    args = [sys.executable, str(script), "--json", str(out)] + (["--quick"] if quick else [])
    subprocess.run(args, check=True)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--partitions", type=int, default=32, help="Spark partitions (default 32)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure, after a warm-up (default 5)")
    parser.add_argument(
        "--small-parts", type=int, default=10_000, help="count of small parts (default 10,000)"
    )
    parser.add_argument(
        "--memory-gb", type=float, default=4.0, help="data merged under a small heap (default 4)"
    )
    parser.add_argument("--skip-hdfs", action="store_true", help="leave out the mini HDFS figures")
    parser.add_argument("--work", default=None, help="scratch directory (default: a temporary one)")
    args = parser.parse_args()

    work = Path(args.work or tempfile.mkdtemp(prefix="sparkmerge-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    demo = load_demo()
    top_n = 10
    users = int(args.gb * 2**30 / BYTES_PER_ROW / top_n)
    results: dict[str, Any] = {"machine": machine(), "args": vars(args), "master": "local[2]"}
    print(
        f"benchmark on {results['machine']['cores']} cores, {results['machine']['memory_gib']} GiB; work in {work}"
    )

    spark = session.start(session.builder("sparkmerge-bench"))
    try:
        df = demo.recommendations(spark, users, top_n, args.partitions)
        # The merges against cat go first: after the Spark ways had dropped their outputs from the page cache
        # (see evict), the same merge took 0.3 s to 2 s from one run to the next on this benchmark's VM.
        print("1. merging the parts of a parallel write")
        plain = work / "plain-parts"
        df.write.csv(str(plain))
        results["merge"] = merge_vs_cat(spark, plain, work, args.runs, "parts")
        shutil.rmtree(plain)

        print(f"2. {args.small_parts:,} small parts of 100 KB")
        small = small_parts(work / "small-parts", args.small_parts, 100 * 1024)
        results["small_parts"] = merge_vs_cat(spark, small, work, args.runs, "small")
        shutil.rmtree(small)

        print(f"3. one CSV from Spark: {users * top_n:,} rows, {args.partitions} partitions")
        results["spark"] = spark_writes(spark, df, work, args.runs)
    finally:
        spark.stop()

    print(f"4. peak memory: {args.memory_gb:g} GiB and a quarter of it through a 256 MiB heap")
    memory = []
    for total in (args.memory_gb / 4, args.memory_gb):
        parts = big_parts(work / f"big-{total:g}", int(total * 2**30), 64)
        memory.append(peak_memory(parts, work / "big.csv", "256m"))
        shutil.rmtree(parts)
        print(f"  {memory[-1]['bytes'] / 2**30:.2f} GiB: peak RSS {memory[-1]['peak_rss_mib']:.0f} MiB")
    results["memory"] = memory

    if not args.skip_hdfs:
        print("5. mini HDFS: concat against copy")
        results["hdfs"] = hdfs(work, quick=args.gb < 1)

    shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    from report import chart, table  # the report needs matplotlib, which only the benchmark installs

    (RESULTS / "bench.md").write_text(table(results))
    chart(results, RESULTS / "bench.png")
    print(table(results))


if __name__ == "__main__":
    main()
