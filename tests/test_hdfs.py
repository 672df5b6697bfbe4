"""On a real HDFS: Spark writes hdfs:// paths, sparkmerge joins the parts by concat where it may consume them.

The HDFS is a MiniDFSCluster (one NameNode, one DataNode, on 127.0.0.1) in a JVM of its own, started once for
the session by ``dev/mini-hdfs run`` (its classpath built by make) and stopped at the end.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import Hdfs, python_env, run_python
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import sparkmerge

ROWS = 20_000


def numbered(spark: SparkSession, rows: int = ROWS, partitions: int = 8) -> DataFrame:
    return spark.range(0, rows, 1, partitions).select(
        F.col("id"), F.format_string("row-%d", F.col("id")).alias("label")
    )


def expected(rows: int = ROWS, header: bool = True) -> list[str]:
    return (["id,label"] if header else []) + [f"{i},row-{i}" for i in range(rows)]


def test_write_single_concatenates_48_parts_in_order_with_one_header(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    target = f"{root}/out/recommendations.csv"

    result = sparkmerge.write_single(numbered(spark, partitions=48), target, header=True)

    data = hdfs.read(target)
    assert data.decode().splitlines() == expected()
    assert (result.strategy, result.files, result.bytes, result.target) == ("concat", 48, len(data), target)
    assert [row.value for row in spark.read.text(target).collect()] == expected()
    # Nothing beside the file: the parts went into it, and the work directory is gone.
    assert hdfs.listing(root) == ["out"]
    assert hdfs.listing(f"{root}/out") == ["recommendations.csv"]


def test_write_single_gzip_is_one_gzip_file(spark: SparkSession, hdfs: Hdfs, root: str) -> None:
    target = f"{root}/recommendations.csv.gz"

    result = sparkmerge.write_single(numbered(spark, 2_000, 6), target, header=True, compression="gzip")

    assert result.strategy == "concat"
    assert gzip.decompress(hdfs.read(target)).decode().splitlines() == expected(2_000)
    assert [row.value for row in spark.read.text(target).collect()] == expected(2_000)


def test_write_single_of_an_empty_dataframe_is_the_header_alone(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    target = f"{root}/empty.csv"

    result = sparkmerge.write_single(numbered(spark, 0, 1), target, header=True)

    assert hdfs.read(target) == b"id,label\n"
    assert (result.strategy, result.bytes) == ("concat", 9)
    assert hdfs.listing(root) == ["empty.csv"]


def test_write_single_per_value_concatenates_each_file_with_one_header(
    spark: SparkSession, hdfs: Hdfs, root: str, capsys: pytest.CaptureFixture[str]
) -> None:
    df = numbered(spark, partitions=6).withColumn("k", F.col("id") % 3)

    results = sparkmerge.write_single(
        df,
        f"{root}/out/k{{k}}-{{n}}.csv",
        partition_by="k",
        max_records_per_file=4000,
        header=True,
        progress=True,
    )

    names = [f"k{k}-{n:05d}.csv" for k in range(3) for n in (1, 2)]
    assert hdfs.listing(f"{root}/out") == names
    for k in range(3):
        rows = [hdfs.read(f"{root}/out/k{k}-{n:05d}.csv").decode().splitlines() for n in (1, 2)]
        values = [f"{i},row-{i}" for i in range(k, ROWS, 3)]
        assert [r[0] for r in rows] == ["id,label", "id,label"] and len(rows[0]) == 4001
        assert rows[0][1:] + rows[1][1:] == values
    assert {r.strategy for r in results} == {"concat"} and len(results) == 6
    # One bar for the whole set, and nothing left beside the files.
    assert "100%" in capsys.readouterr().err.split("\r")[-1]
    assert hdfs.listing(root) == ["out"]


def test_merge_with_delete_source_concatenates_and_the_source_goes(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    source, target = f"{root}/job", f"{root}/merged.csv"
    numbered(spark).write.csv(source)
    parts = [hdfs.read(part) for part in hdfs.parts(source)]
    assert len(parts) == 8

    result = sparkmerge.merge(spark, source, target, delete_source=True)

    assert (result.strategy, result.files) == ("concat", 8)
    assert hdfs.read(target) == b"".join(parts)
    assert hdfs.read(target).decode().splitlines() == expected(header=False)
    assert not hdfs.exists(source)
    assert hdfs.listing(root) == ["merged.csv"]


def test_a_concat_moves_no_bytes_and_its_progress_bar_shows_no_speed(
    spark: SparkSession, hdfs: Hdfs, root: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = f"{root}/job", f"{root}/merged.csv"
    numbered(spark).write.csv(source)

    result = sparkmerge.merge(spark, source, target, delete_source=True, progress=True)

    bar = capsys.readouterr().err.strip().split("\r")[-1]
    assert result.strategy == "concat"
    assert "100%" in bar and "8/8 files" in bar
    assert "MiB/s" not in bar


def test_merge_keeping_the_source_copies_and_says_why(spark: SparkSession, hdfs: Hdfs, root: str) -> None:
    source, target = f"{root}/job", f"{root}/merged.csv"
    numbered(spark).write.csv(source)
    before = hdfs.snapshot(source)

    result = sparkmerge.merge(spark, source, target)

    assert result.strategy == "copy"
    assert "kept" in result.reason
    assert hdfs.read(target).decode().splitlines() == expected(header=False)
    assert hdfs.snapshot(source) == before


def test_merge_of_parts_with_headers_copies_and_keeps_the_header_once(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    source, target = f"{root}/job", f"{root}/merged.csv"
    numbered(spark).write.csv(source, header=True)

    result = sparkmerge.merge(spark, source, target, header=True, delete_source=True)

    assert result.strategy == "copy"
    assert "header" in result.reason
    assert hdfs.read(target).decode().splitlines() == expected()
    assert not hdfs.exists(source)


def test_an_existing_target_stops_everything_before_a_part_is_consumed(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    source, target = f"{root}/job", f"{root}/merged.csv"
    numbered(spark).write.csv(source)
    hdfs.write(target, b"old\n")
    before = hdfs.snapshot(root)

    with pytest.raises(sparkmerge.TargetExistsError, match="merged.csv"):
        sparkmerge.merge(spark, source, target, delete_source=True)
    with pytest.raises(sparkmerge.TargetExistsError, match="merged.csv"):
        sparkmerge.write_single(numbered(spark), target, header=True)

    assert hdfs.snapshot(root) == before
    assert hdfs.listing(root) == ["job", "merged.csv"]


CLIENT_CONF = """<?xml version="1.0"?>
<configuration>
  <property><name>fs.defaultFS</name><value>{uri}</value></property>
  <property><name>dfs.replication</name><value>1</value></property>
</configuration>
"""


def test_the_command_line_reads_hadoop_conf_dir(spark: SparkSession, hdfs: Hdfs, tmp_path: Path) -> None:
    # A cluster's gateway: HADOOP_CONF_DIR makes the mini HDFS the default file system, so relative paths are
    # in the user's HDFS home directory, as they are to Spark.
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "core-site.xml").write_text(CLIENT_CONF.format(uri=hdfs.uri))
    source, target = f"{hdfs.home()}/cli-job", f"{hdfs.home()}/cli-merged.csv"
    numbered(spark).write.csv(source)
    parts = [hdfs.read(part) for part in hdfs.parts(source)]

    ran = run_python(
        "-m",
        "sparkmerge",
        "cli-job",
        "cli-merged.csv",
        "--delete-source",
        cwd=tmp_path,
        env=python_env(HADOOP_CONF_DIR=str(tmp_path / "conf")),
    )

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"merged 8 files into {target}: ")
    assert ran.stdout.rstrip().endswith("(concat)")
    assert hdfs.read(target) == b"".join(parts)
    assert not hdfs.exists(source)
