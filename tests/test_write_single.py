"""write_single: a DataFrame becomes one file at the path asked for, rows in order, header once."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from conftest import snapshot
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import sparkmerge


def sorted_frame(spark: SparkSession, rows: int, partitions: int) -> DataFrame:
    """A DataFrame sorted by key over `partitions` partitions, built the way Spark runs an orderBy: range
    partitioning, then a sort within each partition. The keys start shuffled, so order comes from the sort."""
    shuffled = spark.range(rows).select(((F.col("id") * 7919) % rows).alias("key"))
    return (
        shuffled.withColumn("label", F.concat(F.lit("row-"), F.col("key").cast("string")))
        .repartitionByRange(partitions, "key")
        .sortWithinPartitions("key")
    )


def only_file(directory: Path) -> Path:
    """The one entry of a directory, which must be a file: no directory, no temporary or .crc leftovers."""
    entries = sorted(directory.iterdir())
    assert [e.name for e in entries] == [entries[0].name], f"more than one entry: {entries}"
    assert entries[0].is_file()
    return entries[0]


def test_rows_stay_in_order_across_200_partitions(spark: SparkSession, tmp_path: Path) -> None:
    df = sorted_frame(spark, 20_000, 200)
    assert df.rdd.getNumPartitions() == 200
    target = tmp_path / "sorted.csv"

    result = sparkmerge.write_single(df, str(target))

    lines = target.read_text().splitlines()
    assert lines == [f"{k},row-{k}" for k in range(20_000)]
    assert result.files == 200
    assert result.bytes == target.stat().st_size
    assert result.strategy == "copy"
    assert result.target.endswith(str(target))
    assert only_file(tmp_path) == target


def test_many_files_per_task_stay_in_order(spark: SparkSession, tmp_path: Path) -> None:
    # maxRecordsPerFile makes Spark write part-00000-...-c000, -c001, ... per task.
    df = sorted_frame(spark, 1_000, 3)
    target = tmp_path / "split.csv"

    result = sparkmerge.write_single(df, target, maxRecordsPerFile=7)

    assert target.read_text().splitlines() == [f"{k},row-{k}" for k in range(1_000)]
    assert result.files > 100


def test_header_once_with_special_column_names_and_separator(spark: SparkSession, tmp_path: Path) -> None:
    columns = ["a,b", 'say "hi"', "größe; €", "plain"]
    rows = [(i, f"x{i}", f"ü{i};é", None if i % 2 else "v") for i in range(50)]
    df = spark.createDataFrame(rows, "c1 INT, c2 STRING, c3 STRING, c4 STRING").toDF(*columns).repartition(5)
    target = tmp_path / "special.csv"

    sparkmerge.write_single(df, target, header=True, sep=";")

    text = target.read_text(encoding="utf-8")
    # Spark's CSV escapes a quote with a backslash by default.
    parsed = list(csv.reader(io.StringIO(text), delimiter=";", escapechar="\\", doublequote=False))
    assert parsed[0] == columns
    assert text.count(text.splitlines()[0] + "\n") == 1
    assert sorted(parsed[1:]) == sorted([str(i), f"x{i}", f"ü{i};é", "" if i % 2 else "v"] for i in range(50))
    assert len(parsed) == 51


def test_empty_frame_gives_a_header_only_file(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.createDataFrame([], "id INT, name STRING")
    target = tmp_path / "empty.csv"

    result = sparkmerge.write_single(df, target, header=True)

    assert target.read_bytes() == b"id,name\n"
    assert result.bytes == len(b"id,name\n")
    assert only_file(tmp_path) == target


def test_empty_frame_without_header_gives_an_empty_file(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "empty.csv"

    sparkmerge.write_single(spark.createDataFrame([], "id INT"), target)

    assert target.read_bytes() == b""
    assert only_file(tmp_path) == target


def test_gzip_reads_back_as_one_file_with_one_header(spark: SparkSession, tmp_path: Path) -> None:
    df = sorted_frame(spark, 5_000, 8)
    target = tmp_path / "sorted.csv.gz"

    result = sparkmerge.write_single(df, target, header=True, compression="gzip")

    with gzip.open(target, "rt") as merged:
        lines = merged.read().splitlines()
    assert lines == ["key,label"] + [f"{k},row-{k}" for k in range(5_000)]
    assert result.bytes == target.stat().st_size
    assert only_file(tmp_path) == target


def test_json_and_text(spark: SparkSession, tmp_path: Path) -> None:
    df = sorted_frame(spark, 300, 4)

    sparkmerge.write_single(df, tmp_path / "rows.json", "json")
    sparkmerge.write_single(df.select("label"), tmp_path / "rows.txt", format="TEXT")

    records = [json.loads(line) for line in (tmp_path / "rows.json").read_text().splitlines()]
    assert records == [{"key": k, "label": f"row-{k}"} for k in range(300)]
    assert (tmp_path / "rows.txt").read_text().splitlines() == [f"row-{k}" for k in range(300)]


def test_paths_with_spaces_and_non_ascii(spark: SparkSession, tmp_path: Path) -> None:
    folder = tmp_path / "dossier été 2024" / "sub dir"
    target = folder / "résumé des données ü.csv"

    sparkmerge.write_single(sorted_frame(spark, 100, 4), target, header=True)

    assert target.read_text().splitlines() == ["key,label"] + [f"{k},row-{k}" for k in range(100)]
    assert only_file(folder) == target


@pytest.mark.parametrize("mode", ["errorifexists", "error"])
def test_existing_target_is_refused_and_left_alone(spark: SparkSession, tmp_path: Path, mode: str) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old,content\n\x00\xff")
    before = snapshot(tmp_path)

    with pytest.raises(sparkmerge.TargetExistsError, match="out.csv") as raised:
        sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode=mode)

    assert "\n" not in str(raised.value)
    assert snapshot(tmp_path) == before


def test_overwrite_replaces_the_target(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n" * 1000)

    sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode="overwrite")

    assert target.read_text().splitlines() == [f"{k},row-{k}" for k in range(10)]
    assert only_file(tmp_path) == target


def test_ignore_leaves_an_existing_target(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    result = sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode="ignore")

    assert target.read_text() == "old\n"
    assert (result.files, result.strategy, result.skipped) == (0, "skipped", True)
    assert only_file(tmp_path) == target


def test_ignore_writes_a_missing_target(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    result = sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode="ignore")

    assert target.read_text().splitlines() == [f"{k},row-{k}" for k in range(10)]
    assert not result.skipped


def test_append_is_refused_before_anything_is_written(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    # One of sparkmerge's errors, and a ValueError as Python code expects of a bad argument value.
    with pytest.raises(sparkmerge.InvalidOptionError, match="append") as raised:
        sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode="append")
    assert isinstance(raised.value, ValueError)
    with pytest.raises(ValueError, match="mode must be one of"):
        sparkmerge.write_single(sorted_frame(spark, 10, 2), target, mode="upsert")

    assert snapshot(tmp_path) == {"out.csv": b"old\n"}


@pytest.mark.parametrize("fmt", ["delta", "iceberg", "jdbc"])
def test_formats_that_cannot_be_concatenated_are_refused(
    spark: SparkSession, tmp_path: Path, fmt: str
) -> None:
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="coalesce"):
        sparkmerge.write_single(sorted_frame(spark, 10, 2), tmp_path / f"out.{fmt}", fmt)
    assert list(tmp_path.iterdir()) == []


def test_wrong_argument_types(spark: SparkSession, tmp_path: Path) -> None:
    df = sorted_frame(spark, 10, 2)
    with pytest.raises(TypeError, match="path"):
        sparkmerge.write_single(df, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sep"):
        sparkmerge.write_single(df, tmp_path / "x.csv", sep=[";"])
    with pytest.raises(TypeError, match="df"):
        sparkmerge.write_single("not a frame", tmp_path / "x.csv")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="path"):
        sparkmerge.write_single(df, "")
    assert list(tmp_path.iterdir()) == []


def test_spark_errors_become_one_line(spark: SparkSession, tmp_path: Path) -> None:
    # CSV cannot hold a map column: Spark refuses, and the user sees one line naming Spark's exception.
    df = spark.range(3).select(F.create_map(F.lit("k"), F.col("id")).alias("m"))

    with pytest.raises(sparkmerge.SparkMergeError) as raised:
        sparkmerge.write_single(df, tmp_path / "maps.csv")

    assert type(raised.value) is sparkmerge.SparkMergeError
    assert str(raised.value).startswith("AnalysisException: ")
    assert "\n" not in str(raised.value)
    assert "at org.apache.spark" in (raised.value.java_trace or "")
    assert list(tmp_path.iterdir()) == []


def test_bzip2_reads_back_as_one_file(spark: SparkSession, tmp_path: Path) -> None:
    import bz2

    target = tmp_path / "sorted.csv.bz2"

    sparkmerge.write_single(sorted_frame(spark, 2_000, 4), target, header=True, compression="bzip2")

    with bz2.open(target, "rt") as merged:
        assert merged.read().splitlines() == ["key,label"] + [f"{k},row-{k}" for k in range(2_000)]


def test_windows_line_endings(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "crlf.csv"

    sparkmerge.write_single(sorted_frame(spark, 20, 3), target, header=True, lineSep="\r\n")

    assert target.read_bytes() == b"".join(
        f"{line}\r\n".encode() for line in ["key,label"] + [f"{k},row-{k}" for k in range(20)]
    )


@pytest.mark.parametrize("codec", ["snappy", "deflate", "lz4"])
def test_codecs_that_cannot_be_joined_are_refused(spark: SparkSession, tmp_path: Path, codec: str) -> None:
    with pytest.raises(sparkmerge.UnsupportedFormatError, match=codec):
        sparkmerge.write_single(sorted_frame(spark, 10, 2), tmp_path / "out.csv", compression=codec)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_job_leaves_nothing_behind(spark: SparkSession, tmp_path: Path) -> None:
    boom = F.when(F.col("id") == 50, F.raise_error(F.lit("boom"))).otherwise(F.col("id"))
    df = spark.range(0, 100, 1, 4).select(boom.alias("x"))
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    with pytest.raises(sparkmerge.SparkMergeError, match="boom") as raised:
        sparkmerge.write_single(df, target, mode="overwrite")

    assert "\n" not in str(raised.value)
    assert snapshot(tmp_path) == {"out.csv": b"old\n"}


def test_a_directory_at_the_target_is_never_replaced(spark: SparkSession, tmp_path: Path) -> None:
    # What `df.write.csv("out.csv")` left behind before the user switched to write_single.
    spark.range(3).write.csv(str(tmp_path / "out.csv"))
    before = snapshot(tmp_path)

    with pytest.raises(sparkmerge.InvalidLayoutError, match="out.csv is a directory"):
        sparkmerge.write_single(sorted_frame(spark, 10, 2), tmp_path / "out.csv", mode="overwrite")

    assert snapshot(tmp_path) == before


def test_copying_while_spark_writes_gives_the_same_file_as_copying_after(
    spark: SparkSession, tmp_path: Path
) -> None:
    # Rows enough that the job outlasts the first tasks' commits on a busy machine: copying ahead has parts to take.
    df = sorted_frame(spark, 400_000, 16)
    expected = "key,label\n" + "".join(f"{k},row-{k}\n" for k in range(400_000))

    ahead = sparkmerge.write_single(df, tmp_path / "ahead.csv", header=True)
    spark.conf.set("spark.sparkmerge.copyAhead", "false")
    try:
        after = sparkmerge.write_single(df, tmp_path / "after.csv", header=True)
    finally:
        spark.conf.unset("spark.sparkmerge.copyAhead")

    assert (tmp_path / "ahead.csv").read_text() == expected
    assert (tmp_path / "after.csv").read_text() == expected
    assert "of 17 pieces copied while Spark wrote" in ahead.reason
    assert "copied while" not in after.reason
    assert 0 < ahead.bytes_ahead <= ahead.bytes
    assert after.bytes_ahead == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["after.csv", "ahead.csv"]
