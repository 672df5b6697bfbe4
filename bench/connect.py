"""write_single through Spark Connect against write_single on a classic session, on the same data, in one run.

The classic session runs in this process; the Connect server in a JVM of its own, started as a cluster starts
one (spark-submit, the engine jar on --jars), with the same master and memory. The two take turns, after one
untimed run of each, and write the same DataFrame to local disk; the files are compared byte for byte.
Results: a table on stdout, JSON and Markdown in bench/results/::

    make bench-connect                      # 1 GiB, 3 runs each
    .venv/bin/python bench/connect.py --gb 0.25 --runs 1
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

import sparkmerge
from run import BYTES_PER_ROW, load_demo, machine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "dev"))
import connect_server  # noqa: E402  (dev/ is not a package)

MEMORY = "4g"
PARTITIONS = 32
TOP_N = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    return parser.parse_args()


def recommendations(spark: SparkSession, users: int, products: int) -> DataFrame:
    """The demo's rows (demo/recommendations.py) in SQL expressions: pyspark's column functions build the
    Columns of one kind of session per process, and this one holds both kinds."""
    user, rank = f"CAST(id / {TOP_N} AS BIGINT)", f"id % {TOP_N}"
    decay = (
        f"(0.05D + (abs(xxhash64({user})) % 1000) / 2000.0D)"  # doubles, as in the demo: 0.05 is a DECIMAL
    )
    return spark.range(0, users * TOP_N, 1, PARTITIONS).selectExpr(
        f"{user} AS user_id",
        f"abs(xxhash64({user}, {rank})) % {products} + 1 AS product_id",
        f"rint(exp(-{decay} * {rank}) * 1e6) / 1e6 AS score",
    )


def table(results: dict[str, Any]) -> str:
    m, median = results["machine"], results["median"]
    ratio = results["connect_vs_classic"]
    return (
        "\n".join(
            [
                f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB; Spark local[2], {MEMORY} driver, in "
                f"both; median of {results['args']['runs']} runs; {results['mib']:.0f} MiB of CSV in {PARTITIONS} parts "
                "to local disk.",
                "",
                "| session | write_single s |",
                "|---|---:|",
                f"| classic (Py4J) | {median['classic']:.2f} |",
                f"| Spark Connect (the data source) | {median['connect']:.2f} |",
                "",
                f"Connect / classic: {ratio:.3f} (target <= 1.05: {'met' if ratio <= 1.05 else 'not met'}); the two "
                f"files are {'identical' if results['identical'] else 'DIFFERENT'}.",
            ]
        )
        + "\n"
    )


def main() -> None:
    args = parse_args()
    demo = load_demo()
    users = int(args.gb * 2**30 / BYTES_PER_ROW / TOP_N)
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    work = Path(tempfile.mkdtemp(prefix="sparkmerge-bench-connect-"))
    settings = ("spark.ui.showConsoleProgress=false", f"spark.driver.memory={MEMORY}")
    builder = SparkSession.builder.master("local[2]").appName("sparkmerge-bench-connect")
    for setting in settings + ("spark.ui.enabled=false", "spark.sql.session.timeZone=UTC"):
        builder = builder.config(*setting.split("=", 1))
    classic = sparkmerge.configure(builder).getOrCreate()
    classic.sparkContext.setLogLevel("WARN")
    try:
        with connect_server.running(*settings) as address:
            from pyspark.sql.connect.session import SparkSession as RemoteSparkSession

            remote = RemoteSparkSession.builder.remote(address).create()
            sessions = {"classic": classic, "connect": remote}
            times: dict[str, list[float]] = {name: [] for name in sessions}
            for warm_up in (True,) + (False,) * args.runs:
                for name, session in sessions.items():
                    df = recommendations(session, users, demo.PRODUCTS)
                    target = work / f"{name}.csv"
                    started = time.monotonic()
                    sparkmerge.write_single(df, target, header=True, mode="overwrite")
                    seconds = time.monotonic() - started
                    if not warm_up:
                        times[name].append(seconds)
                        print(f"  {name}: {seconds:.2f} s")
            remote.stop()
        results["runs"] = times
        results["median"] = {name: statistics.median(t) for name, t in times.items()}
        results["connect_vs_classic"] = results["median"]["connect"] / results["median"]["classic"]
        results["identical"] = filecmp.cmp(work / "classic.csv", work / "connect.csv", shallow=False)
        results["mib"] = (work / "classic.csv").stat().st_size / 2**20
    finally:
        classic.stop()
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "connect.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "connect.md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
