"""One Parquet file out of Spark, in one run: write_single(format="parquet") against coalesce(1), and the merge of
the same parts against cat, DuckDB and pyarrow, the ways users get one Parquet file today.

The parts are written once by a parallel write; every way then starts from them (or from the DataFrame, for the
Spark ways), and each output is checked: the rows of the parts, in order. Results: a table on stdout, JSON and
Markdown in bench/results/::

    make bench-formats                          # about 1 GiB of Parquet
    .venv/bin/python bench/formats.py --gb 0.25 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import duckdb
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession

import session
import sparkmerge
from run import machine
from timing import round_robin

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
UNCHECKED = "sparkmerge.merge, parts without .crc files"
BYTES_PER_ROW = (
    84  # an id, a SHA-256 in hex (snappy keeps it), a small key and a double, as Parquet stores them
)


def table(spark: SparkSession, rows: int, partitions: int) -> DataFrame:
    return spark.range(0, rows, 1, partitions).selectExpr(
        "id", "sha2(CAST(id AS STRING), 256) AS h", "id % 1000 AS k", "rand(7) AS score"
    )


def parts_of(directory: Path) -> list[Path]:
    return sorted(
        (p for p in directory.iterdir() if p.name.endswith(".parquet")),
        key=lambda p: int(p.name.split("-")[1]),
    )


def cat(directory: Path, target: Path) -> None:
    with open(target, "wb") as out:
        subprocess.run(["cat", *map(str, parts_of(directory))], stdout=out, check=True)


def duckdb_copy(directory: Path, target: Path) -> None:
    duckdb.execute(
        f"COPY (SELECT * FROM read_parquet('{directory}/*.parquet')) TO '{target}' (FORMAT parquet)"
    )


def pyarrow_rewrite(directory: Path, target: Path) -> None:
    pq.write_table(pq.read_table(parts_of(directory)), target)


def once(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def rows_in(output: Path) -> int:
    """The rows of a file, or of the one part coalesce(1) leaves in its directory."""
    files = parts_of(output) if output.is_dir() else [output]
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the Parquet data (default 1 GiB)")
    parser.add_argument("--partitions", type=int, default=32, help="Spark partitions (default 32)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each way, after a warm-up (default 3)")
    parser.add_argument(
        "--merge-runs", type=int, default=15, help="runs of the merge and of cat (default 15)"
    )
    args = parser.parse_args()
    rows = int(args.gb * 2**30 / BYTES_PER_ROW)
    spark = session.start(session.builder("sparkmerge-bench-formats"))
    work = Path(tempfile.mkdtemp(prefix="sparkmerge-bench-formats-"))
    df = table(spark, rows, args.partitions)
    parts = work / "parts"
    out = {
        name: work / f"{name}.parquet"
        for name in ("merge", "cat", "unchecked", "duckdb", "pyarrow", "single", "coalesce")
    }

    print(f"Parquet: {rows:,} rows in {args.partitions} partitions; {args.runs} runs after a warm-up")
    spark_ways: dict[str, tuple[Callable[[], Any], Path]] = {
        "parallel write (a directory)": (lambda: df.write.parquet(str(parts)), parts),
        "write_single(format='parquet')": (
            lambda: sparkmerge.write_single(df, out["single"], "parquet"),
            out["single"],
        ),
        "coalesce(1).write.parquet": (
            lambda: df.coalesce(1).write.parquet(str(out["coalesce"])),
            out["coalesce"],
        ),
    }
    round_robin(spark_ways, 1)  # the warm-up; the parts stay for the merges below
    spark_times = round_robin(spark_ways, args.runs, evicting=True)
    size = sum(p.stat().st_size for p in parts_of(parts))
    # The same parts without the .crc files Spark wrote beside them, as write_single's own parts and parts on S3
    # or HDFS are: what checking them costs the merge.
    unchecked = work / "parts-without-crc"
    unchecked.mkdir()
    for part in parts_of(parts):
        os.link(part, unchecked / part.name)
    copy_ways: dict[str, tuple[Callable[[], Any], Path]] = {
        "sparkmerge.merge": (lambda: sparkmerge.merge(spark, parts, out["merge"]), out["merge"]),
        "cat (not a valid file)": (lambda: cat(parts, out["cat"]), out["cat"]),
        UNCHECKED: (lambda: sparkmerge.merge(spark, unchecked, out["unchecked"]), out["unchecked"]),
    }
    # The merge and cat take their turns apart from DuckDB and pyarrow: those take and give back gigabytes of
    # memory, and on this project's VM a copy that came next paid for that memory again (up to 6 s of system
    # time for one GiB), whichever way it was. Runs under a second vary more: more of them.
    round_robin(copy_ways, 1)
    step_times = round_robin(copy_ways, args.merge_runs)
    decoding_ways: dict[str, tuple[Callable[[], Any], Path]] = {
        "DuckDB COPY": (lambda: duckdb_copy(parts, out["duckdb"]), out["duckdb"]),
        "pyarrow read_table, write_table": (lambda: pyarrow_rewrite(parts, out["pyarrow"]), out["pyarrow"]),
    }
    round_robin(decoding_ways, 1)
    step_times.update(round_robin(decoding_ways, args.runs))
    for name in ("merge", "unchecked", "duckdb", "pyarrow", "single", "coalesce"):
        assert rows_in(out[name]) == rows, f"{name}: {rows_in(out[name])} rows, not {rows}"
    first = pq.read_table(out["merge"], columns=["id"]).column("id")
    assert first[0].as_py() == 0 and first[len(first) - 1].as_py() == rows - 1, "the merge lost the order"

    median = {name: statistics.median(t) for name, t in {**spark_times, **step_times}.items()}
    results: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "rows": rows,
        "partitions": args.partitions,
        "bytes": size,
        "runs": {name: t for name, t in {**spark_times, **step_times}.items()},
        "median": median,
    }
    merge = median["sparkmerge.merge"]
    results["targets"] = [
        ("merge throughput vs cat", median["cat (not a valid file)"] / merge, ">= 0.9"),
        (
            "write_single speed-up vs coalesce(1)",
            median["coalesce(1).write.parquet"] / median["write_single(format='parquet')"],
            ">= 1.5",
        ),
        ("merge speed-up vs DuckDB", median["DuckDB COPY"] / merge, "> 1"),
        ("merge speed-up vs pyarrow", median["pyarrow read_table, write_table"] / merge, "> 1"),
    ]
    results["without_crc_vs_cat"] = median["cat (not a valid file)"] / median[UNCHECKED]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "formats.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "formats.md").write_text(report(results))
    print(report(results))
    spark.stop()
    subprocess.run(["rm", "-rf", str(work)], check=True)


def report(r: dict[str, Any]) -> str:
    m, runs = r["machine"], len(next(iter(r["runs"].values())))
    copies = len(r["runs"]["sparkmerge.merge"])
    where = f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['java']}, Python {m['python']}"
    title = (
        f"**One Parquet file of {r['bytes'] / 2**20:.0f} MiB** ({r['rows']:,} rows, {r['partitions']} parts)"
    )
    lines = [
        f"Date: {r['date']}. Machine: {where}; Spark local[2]; median of {runs} runs after a warm-up "
        f"({copies} for the merges and cat, which take turns by themselves)."
    ]
    lines += ["", title, "", "| how | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in r["median"].items()]
    lines += ["", "| target | measured | wanted | met |", "|---|---:|---:|:---:|"]
    for name, value, wanted in r["targets"]:
        bound = float(wanted.split()[-1])
        met = value >= bound if wanted.startswith(">=") else value > bound
        lines.append(f"| {name} | {value:.2f} | {wanted} | {'yes' if met else 'no'} |")
    lines += [
        "",
        f"Without their `.crc` files (the merge's second row: no checksum to check, as for write_single's own "
        f"parts), the merge of the same parts runs at {r['without_crc_vs_cat']:.2f} of cat's throughput.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
