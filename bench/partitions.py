"""Many files per job: one whole CSV per partition value, against what Spark and a loop of merges give.

One DataFrame (the demo's rows and a column of --values distinct values, user_id % values, so every Spark
partition holds every value) is written to local disk in turns, after an untimed warm-up:

  (a) df.write.partitionBy(col).csv(dir): the baseline, a directory of parts per value;
  (b) df.repartition(col).write.partitionBy(col).csv(dir): one file per value, each through one task;
  (c) (a), then a Python loop of one sparkmerge.merge(spark, leaf, target) per directory;
  (d) sparkmerge.write_single(df, "out/{col}.csv", partition_by=col): merges on driver threads
      (spark.sparkmerge.executorMergesFrom=0, the default with a local master) and as a Spark job (=1; on a
      cluster the default, 256, does that from 256 files on).

The merge step of (d) is its time outside the Spark jobs that write its rows (from Spark's own job times),
less (a)'s, as a fraction of (a) (issue 14: at most 10%); that of (c) is the loop's own time. The totals are
shown too: the write jobs alone vary by many seconds from run to run. (d)'s files are checked against (a)'s
parts: rows and bytes per value, the header once. Results: a table on stdout, JSON and Markdown in bench/results/::

    make bench-partitions                   # 1 GiB over 1,000 values, 2 runs each
    .venv/bin/python bench/partitions.py --gb 0.1 --runs 1
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import sparkmerge
import session
from run import BYTES_PER_ROW, load_demo, machine
from timing import remove

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
COLUMN = "bucket"
HEADER = b"user_id,product_id,score\n"
TOP_N = 10
EXECUTORS_FROM = "spark.sparkmerge.executorMergesFrom"
MERGE_JOB = "sparkmerge:"  # how ManyMerges describes its Spark job
NOOP = "for scale: the data alone, written nowhere (noop)"
A = "(a) partitionBy write (parts)"
B = "(b) repartition(col) + partitionBy write"
C = "(c) partitionBy write + loop of merge()"
D_THREADS = "(d) write_single, merges on driver threads"
D_JOB = "(d) write_single, merges as a Spark job"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--values", type=int, default=1000, help="partition values (default 1,000)")
    # Not the 32 of bench/run.py: on local disk, Hadoop (without its native library, as pip's pyspark comes)
    # forks a chmod for each directory and file it creates, ~5 ms each here; 32 x 1,000 parts made (a) take
    # 445 s for 100 MiB. 8 is what Spark reads 1 GiB of files as (128 MiB a partition).
    parser.add_argument("--partitions", type=int, default=8, help="Spark partitions (default 8)")
    parser.add_argument("--runs", type=int, default=2, help="runs per figure, after a warm-up (default 2)")
    return parser.parse_args()


def data(spark: SparkSession, demo: Any, gb: float, values: int, partitions: int) -> DataFrame:
    users = int(gb * 2**30 / BYTES_PER_ROW / TOP_N)  # the partition column leaves the rows: 1 GiB is theirs
    df = demo.recommendations(spark, users, TOP_N, partitions)
    return df.withColumn(COLUMN, F.col("user_id") % values)


def ways(spark: SparkSession, df: DataFrame, work: Path, loops: list[float]) -> dict[str, Any]:
    """Each way and the path it writes. Every way writes the header, so that each file or part of each can
    be compared with the others'. `loops` gets the times of (c)'s loop."""

    def partitioned(how: Callable[[DataFrame], DataFrame], out: Path) -> None:
        how(df).write.partitionBy(COLUMN).csv(str(out), header=True)

    def write_then_loop() -> None:
        partitioned(lambda d: d, work / "c" / "parts")
        started = time.perf_counter()
        for leaf in sorted(os.listdir(work / "c" / "parts")):
            if leaf.startswith(f"{COLUMN}="):
                target = work / "c" / "out" / f"{leaf.split('=', 1)[1]}.csv"
                sparkmerge.merge(spark, work / "c" / "parts" / leaf, target, header=True)
        loops.append(time.perf_counter() - started)

    def write_single(executors_from: str, out: Path) -> Callable[[], None]:
        def write() -> None:
            spark.conf.set(EXECUTORS_FROM, executors_from)
            try:
                results = sparkmerge.write_single(
                    df, out / f"{{{COLUMN}}}.csv", partition_by=COLUMN, header=True
                )
            finally:
                spark.conf.unset(EXECUTORS_FROM)
            assert isinstance(results, sparkmerge.MergeResults) and len(results) == values

        return write

    values = df.select(COLUMN).distinct().count()
    return {
        NOOP: (lambda: df.write.format("noop").mode("overwrite").save(), work / "noop"),
        A: (lambda: partitioned(lambda d: d, work / "a"), work / "a"),
        B: (lambda: partitioned(lambda d: d.repartition(COLUMN), work / "b"), work / "b"),
        C: (write_then_loop, work / "c"),
        D_THREADS: (write_single("0", work / "d0"), work / "d0"),
        D_JOB: (write_single("1", work / "d1"), work / "d1"),
    }


def outside_write_jobs(spark: SparkSession, started: float, ended: float) -> float:
    """Seconds of a way outside its write jobs: its time less the durations of the Spark jobs it ran that are
    not sparkmerge's own (those describe themselves "sparkmerge: ..."): Spark's planning and job commit (the
    renames of the parts into place) for every way; the header's job and the merges for (d), the loop for (c).
    From Spark's own job times, in its status store, which keeps them with the UI off."""
    sc = spark.sparkContext._jsc.sc()  # type: ignore[union-attr]
    sc.listenerBus().waitUntilEmpty()  # the job-end events are delivered asynchronously
    jobs = sc.statusStore().jobsList(None)
    writing = 0.0
    for i in range(jobs.size()):
        job = jobs.apply(i)
        description = str(job.description().get()) if job.description().isDefined() else ""
        if description.startswith(MERGE_JOB) or not job.completionTime().isDefined():
            continue
        if not job.submissionTime().isDefined():
            continue
        start = job.submissionTime().get().getTime() / 1000.0
        end = job.completionTime().get().getTime() / 1000.0
        if started <= start and end <= ended:
            writing += end - start
    return ended - started - writing


def round_robin(
    spark: SparkSession, ways: dict[str, Any], runs: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """bench/timing.py's turns, settling the disk between ways with one sync instead of its per-file fsync
    and eviction: tens of thousands of files here, and every way writes through the page cache alike. Each
    run starts one way later than the run before: (c)'s write, the same as (a)'s, took 20 s longer third in
    a run than (a)'s first, so no way is always first. Answers each way's seconds, and its seconds outside
    its write jobs."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    outside: dict[str, list[float]] = {name: [] for name in ways if name != NOOP}
    names = list(ways)
    for run in range(runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            action, output = ways[name]
            remove(output)
            os.sync()  # untimed: no way pays for the write-back of the one before it
            started, wall = time.perf_counter(), time.time()
            action()
            times[name].append(time.perf_counter() - started)
            if name in outside:
                outside[name].append(outside_write_jobs(spark, wall, wall + times[name][-1]))
            tail = f"{outside[name][-1]:7.2f} s outside its write jobs" if name in outside else ""
            print(f"  {name:50s} {times[name][-1]:7.2f} s {tail}", flush=True)
    return times, outside


def tally(directory: Path) -> dict[str, tuple[int, int, int]]:
    """Per value: rows, bytes without header lines, and header lines, of the files under `directory` (a file
    `V.csv` per value, or Spark's `bucket=V/` directories of parts)."""
    counts: dict[str, list[int]] = {}
    for path in directory.rglob("*"):
        if not path.is_file() or path.name.startswith(("_", ".")):
            continue
        value = path.parent.name.split("=", 1)[1] if path.parent != directory else path.stem
        data = path.read_bytes()
        headers = data.count(HEADER)
        if path.parent == directory and not data.startswith(HEADER):
            raise AssertionError(f"{path} does not start with the header")
        total = counts.setdefault(value, [0, 0, 0])
        total[0] += data.count(b"\n") - headers
        total[1] += len(data) - headers * len(HEADER)
        total[2] += headers
    return {value: (rows, size, headers) for value, (rows, size, headers) in counts.items()}


def verify(work: Path, values: int) -> dict[str, Any]:
    """(d)'s files against (a)'s parts, from the last run of each; and whether (c) made the same files."""
    parts = tally(work / "a")
    for mode in ("d0", "d1"):
        files = tally(work / mode)
        assert len(files) == values, f"{mode}: {len(files)} files, not {values}"
        assert all(h == 1 for _, _, h in files.values()), f"{mode}: a file without its header, or with two"
        assert {v: t[:2] for v, t in files.items()} == {v: t[:2] for v, t in parts.items()}, (
            f"{mode}: rows or bytes per value differ from the plain partitionBy write"
        )
    names = sorted(os.listdir(work / "d1"))
    return {
        "values": values,
        "rows": sum(rows for rows, _, _ in parts.values()),
        "bytes_without_headers": sum(size for _, size, _ in parts.values()),
        "parts_of_a": sum(h for _, _, h in parts.values()),
        "c_same_files_as_d": filecmp.cmpfiles(work / "c" / "out", work / "d1", names, shallow=False)[0]
        == names,
    }


def table(r: dict[str, Any]) -> str:
    m, median, a, v = r["machine"], r["median"], r["median"][A], r["verified"]
    outside = r["outside_write_jobs"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['java']}, Python {m['python']}; "
        f"Spark local[2], 4g driver; median of {r['args']['runs']} runs after a warm-up, each run starting one "
        f"way later. {v['bytes_without_headers'] / 2**20:.0f} MiB of CSV ({v['rows']:,} rows) over "
        f"{v['values']:,} values of `{COLUMN}`, from {r['args']['partitions']} Spark partitions "
        f"({v['parts_of_a']:,} parts in (a)), to local disk.",
        "",
        "| way | seconds | vs (a) | outside its write jobs s | merge step s | merge step / (a) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in (A, B, C, D_THREADS, D_JOB, NOOP):
        step = r["merge_step"].get(name)
        lines.append(
            f"| {name} | {median[name]:.2f} | {median[name] / a:.2f}x | "
            + (f"{outside[name]:.2f} | " if name in outside else " | ")
            + (f"{step:.2f} | {step / a:.1%} |" if step is not None else " | |")
        )
    default = D_THREADS  # with a local master, the engine never runs the merges as a Spark job by itself
    step = r["merge_step"][default] / a
    c_write = median[C] - statistics.median(r["loop_runs"])
    lines += [
        "",
        "Outside its write jobs: a way's time less the durations of the Spark jobs that write its rows (Spark's "
        "planning and job commit for all; the header's job and the merges for (d)). Merge step: for (d), its "
        "time outside its write jobs less (a)'s; for (c), its loop.",
        "",
        f"Merge step of write_single at {v['values']:,} files, by default "
        f"{'a Spark job' if default == D_JOB else 'on driver threads'}: {step:.1%} of (a) (target <= 10%: "
        f"{'met' if step <= 0.10 else 'not met'}). The totals, (d) - (a): "
        f"{(median[default] - a) / a:.1%}; they also hold the write jobs' own spread: (c)'s write, the same "
        f"as (a)'s, took {c_write - a:+.2f} s against (a). Spark job against threads: "
        f"{median[D_JOB] - median[D_THREADS]:+.2f} s; outside the write jobs "
        f"{outside[D_JOB] - outside[D_THREADS]:+.2f} s.",
        f"Checked: each of the {v['values']:,} files of (d), both ways, has the rows and bytes of its value's "
        f"parts in (a) and the header once; (c)'s files are "
        f"{'identical to' if v['c_same_files_as_d'] else 'NOT identical to'} (d)'s.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_args()
    demo = load_demo()
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    work = Path(tempfile.mkdtemp(prefix="sparkmerge-bench-partitions-"))
    print(f"benchmark on {results['machine']['cores']} cores; work in {work}")
    spark = session.start(session.builder("sparkmerge-bench-partitions"))
    try:
        df = data(spark, demo, args.gb, args.values, args.partitions)
        loops: list[float] = []
        # Warm-up (JIT, the first jobs' setup, each way's code) on a tenth of the rows, 2 partitions and a
        # twentieth of the values: a whole run of every way would take a third of the budget.
        warm = data(spark, demo, args.gb / 10, max(1, args.values // 20), 2)
        round_robin(spark, ways(spark, warm, work / "warm-up", loops), 1)
        shutil.rmtree(work / "warm-up")
        loops.clear()
        runs, outside = round_robin(spark, ways(spark, df, work, loops), args.runs)
        median = {name: statistics.median(t) for name, t in runs.items()}
        results.update(runs=runs, median=median, outside_write_jobs_runs=outside, loop_runs=loops)
        results["outside_write_jobs"] = {name: statistics.median(t) for name, t in outside.items()}
        results["merge_step"] = {
            C: statistics.median(loops),
            D_THREADS: results["outside_write_jobs"][D_THREADS] - results["outside_write_jobs"][A],
            D_JOB: results["outside_write_jobs"][D_JOB] - results["outside_write_jobs"][A],
        }
        results["verified"] = verify(work, args.values)
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "partitions.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "partitions.md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
