"""Merges on a GCS server on 127.0.0.1 (dev/gcs-server: fake-gcs-server, with the compose rules GCS keeps) through
Google's own GCS connector: the store composes the parts, in order, in a tree of calls for more than 32; the last
compose publishes the object only if the target is as the merge found it, so that of two merges racing for one
name exactly one wins, and an overwrite never replaces someone else's object; the hidden objects go whatever
happens, and those of a killed driver with the next merge or `--clean`."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pyspark
import pytest
from concurrently import WAIT_SECONDS, in_thread, one_winner, until
from conftest import Gcs, hadoop_settings, python_env
from drills import wait_until_group_ended
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import sparkmerge

# Google's connector on Maven Central here (4.x) needs Hadoop 3.4's classes; Spark 3.5 ships Hadoop 3.3.
pytestmark = pytest.mark.skipif(
    not pyspark.__version__.startswith("4."), reason="GCS connector 4.x needs Hadoop 3.4, which Spark 4 ships"
)


def rows(first: int, count: int) -> bytes:
    return b"".join(b"%09d,%s\n" % (i, b"x" * 20) for i in range(first, first + count))


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4()}"


def hidden(gcs: Gcs, prefix: str) -> list[str]:
    return [name for name in gcs.names(f"{prefix}/") if ".sparkmerge-" in name]


def test_70_parts_are_composed_by_the_store_in_a_tree_in_order(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    # Numbered without padding: part-10 comes after part-9, as numbers do.
    parts = [rows(i * 1000, 100 + i) for i in range(70)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i}.csv", data)

    result = sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"))

    assert gcs.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "server-side"
    # 32 + 32 + 6 into three objects, then those three into the target.
    assert "the store composed 70 objects in 4 calls" in result.reason, result.reason
    assert "went through this JVM" not in result.reason
    assert gcs.names(f"{prefix}/") == sorted(
        [f"{prefix}/out.csv"] + [f"{prefix}/src/part-{i}.csv" for i in range(70)]
    )


def test_order_across_200_parts_with_empty_and_gzip_parts(spark: SparkSession, gcs: Gcs, prefix: str) -> None:
    parts = [b"" if i % 17 == 0 else rows(i * 1000, 3) for i in range(200)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i:05d}", data)
    sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"))
    assert gcs.get(f"{prefix}/out.csv") == b"".join(parts)

    for i in range(3):
        gcs.put(f"{prefix}/gz/part-{i:05d}.csv.gz", gzip.compress(rows(i * 1000, 50)))
    result = sparkmerge.merge(spark, gcs.url(f"{prefix}/gz"), gcs.url(f"{prefix}/out.csv.gz"))
    assert gzip.decompress(gcs.get(f"{prefix}/out.csv.gz")) == b"".join(rows(i * 1000, 50) for i in range(3))
    assert result.strategy == "server-side"
    assert hidden(gcs, prefix) == []


def test_write_single_to_gcs_is_the_local_file_byte_for_byte(
    spark: SparkSession, gcs: Gcs, prefix: str, tmp_path: Path
) -> None:
    df = spark.range(0, 50_000, numPartitions=4).select(F.col("id"), (F.col("id") * 7 % 1000).alias("score"))
    result = sparkmerge.write_single(df, gcs.url(f"{prefix}/recs.csv"), header=True)
    sparkmerge.write_single(df, str(tmp_path / "recs.csv"), header=True)

    assert gcs.get(f"{prefix}/recs.csv") == (tmp_path / "recs.csv").read_bytes()
    # The header is an object of its own, first: the store composes it with the parts, and nothing is read here.
    assert result.strategy == "server-side"
    assert "went through this JVM" not in result.reason, result.reason
    assert gcs.names(f"{prefix}/") == [f"{prefix}/recs.csv"]


def test_parts_that_each_carry_a_header_go_by_the_copy(spark: SparkSession, gcs: Gcs, prefix: str) -> None:
    header = b"id,payload\n"
    parts = [header + rows(i * 1000, 10) for i in range(3)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i:05d}.csv", data)

    result = sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"), header=True)

    assert gcs.get(f"{prefix}/out.csv") == header + b"".join(p[len(header) :] for p in parts)
    assert result.strategy == "copy"
    assert "whole objects only" in result.reason
    assert hidden(gcs, prefix) == []


def test_racing_merges_without_overwrite_one_wins(spark: SparkSession, gcs: Gcs, prefix: str) -> None:
    import gcs_server

    for name in ("a", "b"):
        for i in range(40):
            gcs.put(f"{prefix}/{name}/part-{i:05d}", rows(i * 1000, 5) + name.encode() * 3 + b"\n")
    target = f"{prefix}/out.csv"
    # Both merges wait in their trees (two composes each: 32 parts, and 8) until both are there, past every check
    # of their own; then they publish, in whatever order, each with the target absent when it began.
    gcs_server.hold(gcs.endpoint, ".out.csv.sparkmerge-")
    runs = [
        in_thread(lambda n=name: sparkmerge.merge(spark, gcs.url(f"{prefix}/{n}"), gcs.url(target)))
        for name in "ab"
    ]
    try:
        until(lambda: gcs_server.held(gcs.endpoint) == 4, "both merges' trees")
    finally:
        gcs_server.release(gcs.endpoint)
    winner = one_winner(runs)
    assert gcs.get(target) == b"".join(gcs.get(f"{prefix}/{winner}/part-{i:05d}") for i in range(40))
    assert hidden(gcs, prefix) == []


def test_an_overwrite_never_replaces_what_another_writer_put_there_meanwhile(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    import gcs_server

    for i in range(40):
        gcs.put(f"{prefix}/src/part-{i:05d}", b"new %d\n" % i)
    new = b"".join(b"new %d\n" % i for i in range(40))
    target = f"{prefix}/out.csv"
    gcs.put(target, b"old\n")
    sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(target), overwrite=True)
    assert gcs.get(target) == new

    # Someone else writes the target while the merge composes its tree: the merge replaces the object it found
    # when it began, and no other.
    gcs.put(target, b"old\n")
    gcs_server.hold(gcs.endpoint, ".out.csv.sparkmerge-")
    thread, outcome = in_thread(
        lambda: sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(target), overwrite=True)
    )
    try:
        until(lambda: gcs_server.held(gcs.endpoint) == 2, "the merge's tree")
        gcs.put(target, b"someone else's\n")
    finally:
        gcs_server.release(gcs.endpoint)
    thread.join(timeout=WAIT_SECONDS)

    assert isinstance(outcome["outcome"], sparkmerge.TargetExistsError), outcome
    assert "written by someone else while this merge ran" in str(outcome["outcome"])
    assert gcs.get(target) == b"someone else's\n"
    assert hidden(gcs, prefix) == []


def test_a_part_deleted_while_merging_leaves_no_object_and_nothing_hidden(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    import gcs_server

    for i in range(70):
        gcs.put(f"{prefix}/src/part-{i:05d}", rows(i, 2))
    # The tree's first composes wait; a part goes meanwhile.
    gcs_server.hold(gcs.endpoint, ".out.csv.sparkmerge-")
    thread, outcome = in_thread(
        lambda: sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"))
    )
    try:
        until(lambda: gcs_server.held(gcs.endpoint) >= 1, "the tree's first compose")
        gcs.delete(f"{prefix}/src/part-00005")
    finally:
        gcs_server.release(gcs.endpoint)
    thread.join(timeout=WAIT_SECONDS)

    assert isinstance(outcome["outcome"], sparkmerge.MergeFailedError), outcome
    assert "deleted while merging" in str(outcome["outcome"])
    assert f"{prefix}/out.csv" not in gcs.names(f"{prefix}/")
    assert hidden(gcs, prefix) == []


def test_a_killed_drivers_hidden_objects_go_with_clean_and_with_the_next_merge(
    spark: SparkSession, gcs: Gcs, prefix: str, tmp_path: Path
) -> None:
    import gcs_server
    import s3_server

    # Parts on local disk: the merge uploads them into a hidden object, and its publish (a compose) waits.
    source = tmp_path / "src"
    source.mkdir()
    parts = [rows(i * 1000, 1000) for i in range(3)]
    for i, data in enumerate(parts):
        (source / f"part-{i:05d}.csv").write_bytes(data)
    conf = tmp_path / "conf"
    conf.mkdir()
    properties = "".join(
        f"<property><name>{key}</name><value>{value}</value></property>"
        for key, value in gcs_server.connector_settings(gcs.endpoint).items()
    )
    (conf / "core-site.xml").write_text(f"<configuration>{properties}</configuration>")
    env = python_env(
        HADOOP_CONF_DIR=str(conf),
        SPARK_DIST_CLASSPATH=":".join(s3_server.test_classpath_jars("/gcs-connector-")),
    )
    target = f"{prefix}/out.csv"

    def cli(*arguments: str, **options: object) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "sparkmerge", *arguments],
            env=env,
            text=True,
            **options,  # type: ignore[call-overload]
        )

    def killed_at_publish() -> None:
        gcs_server.hold(gcs.endpoint, target)
        run = cli(
            str(source),
            gcs.url(target),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            until(
                lambda: gcs_server.held(gcs.endpoint) == 1 or run.poll() is not None, "the merge to publish"
            )
            assert run.poll() is None, run.communicate()[1]
            os.killpg(run.pid, signal.SIGKILL)
            assert run.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
            wait_until_group_ended(run.pid)
        finally:
            # The killed merge's compose answers with an error, and makes nothing.
            gcs_server.release(gcs.endpoint, status=503)
        assert gcs.names(f"{prefix}/") == hidden(gcs, prefix) != [], (
            "the kill left nothing: it tested nothing"
        )

    killed_at_publish()
    left = hidden(gcs, prefix)
    cleaned = cli("--clean", gcs.url(prefix), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = cleaned.communicate(timeout=WAIT_SECONDS)
    assert cleaned.returncode == 0, err
    assert out.splitlines() == [f"removed {gcs.url(name)}" for name in left]
    assert gcs.names(f"{prefix}/") == []

    killed_at_publish()
    result = sparkmerge.merge(spark, str(source), gcs.url(target))
    assert gcs.get(target) == b"".join(parts)
    assert gcs.names(f"{prefix}/") == [target]
    assert "went through this JVM" in result.reason


def test_more_parts_than_an_object_holds_components_gather_the_smallest(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    # 1,100 parts, the first 100 small: an object holds at most 1,024 components (the server refuses more), so
    # the smallest are read and uploaded here as one run, and the rest composed.
    parts = [rows(i, 1) if i < 100 else rows(i * 1000, 40) for i in range(1100)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i:05d}", data)

    result = sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"))

    assert gcs.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "server-side"
    assert "the store composed 1023 objects" in result.reason, result.reason
    assert "0.0 MiB went through this JVM" in result.reason, result.reason
    assert hidden(gcs, prefix) == []


def test_one_parquet_file_from_parts_composed_with_a_footer_last(
    spark: SparkSession, gcs: Gcs, prefix: str, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    df = spark.range(0, 30_000, numPartitions=3).selectExpr("id", "CAST(id % 7 AS STRING) AS kind")
    result = sparkmerge.write_single(df, gcs.url(f"{prefix}/out.parquet"), "parquet")

    (tmp_path / "out.parquet").write_bytes(gcs.get(f"{prefix}/out.parquet"))
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("id").to_pylist() == list(range(30_000))
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_row_groups == 3
    assert result.strategy == "server-side"
    assert "went through this JVM" not in result.reason, result.reason
    assert gcs.names(f"{prefix}/") == [f"{prefix}/out.parquet"]


def test_write_single_per_value_to_gcs_is_the_local_files_byte_for_byte(
    spark: SparkSession, gcs: Gcs, prefix: str, tmp_path: Path
) -> None:
    df = spark.range(0, 30_000, numPartitions=3).selectExpr(
        "id", "id % 3 AS k", "sha2(CAST(id AS STRING), 256) AS h"
    )
    results = sparkmerge.write_single(df, gcs.url(f"{prefix}/out/{{k}}.csv"), partition_by="k", header=True)
    sparkmerge.write_single(df, str(tmp_path / "{k}.csv"), partition_by="k", header=True)

    assert gcs.names(f"{prefix}/") == [f"{prefix}/out/{k}.csv" for k in range(3)]
    for k in range(3):
        assert gcs.get(f"{prefix}/out/{k}.csv") == (tmp_path / f"{k}.csv").read_bytes()
    assert {r.strategy for r in results} == {"server-side"}


def test_with_composes_turned_off_the_copy_goes_through_this_jvm_and_says_why(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    parts = [rows(i * 1000, 10) for i in range(3)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i:05d}", data)
    with hadoop_settings(spark, {"sparkmerge.gcs.server-side": "false"}):
        result = sparkmerge.merge(spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"))
    assert gcs.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "copy"
    assert "the store's own composes are turned off (sparkmerge.gcs.server-side=false)" in result.reason
    assert hidden(gcs, prefix) == []


def test_delete_source_removes_the_parts_once_the_object_is_in_place(
    spark: SparkSession, gcs: Gcs, prefix: str
) -> None:
    parts = [rows(i * 1000, 10) for i in range(40)]
    for i, data in enumerate(parts):
        gcs.put(f"{prefix}/src/part-{i:05d}", data)
    gcs.put(f"{prefix}/src/_SUCCESS", b"")

    result = sparkmerge.merge(
        spark, gcs.url(f"{prefix}/src"), gcs.url(f"{prefix}/out.csv"), delete_source=True
    )

    assert gcs.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "server-side"
    assert gcs.names(f"{prefix}/") == [f"{prefix}/out.csv"]
