"""One Parquet file out of Spark, its row groups the parts' own, never decoded: read back by the readers users
have (Spark, pyarrow, DuckDB), on local disk, on HDFS (a concat of the parts and the new footer) and on S3
(the store copies the parts, the footer is the upload's last part)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pyspark
import pytest
from conftest import S3, Hdfs, run_python
from pyspark.sql import DataFrame, SparkSession

import sparkmerge

ROWS = 30_000


def table(spark: SparkSession, partitions: int = 6, rows: int = ROWS) -> DataFrame:
    return spark.range(0, rows, 1, partitions).selectExpr(
        "id",
        "CAST(id % 5 AS STRING) AS colour",
        "CAST(id / 7 AS DECIMAL(20, 4)) AS amount",
        "named_struct('twice', id * 2, 'tags', array(CAST(id AS STRING))) AS nested",
    )


def read_every_way(spark: SparkSession, file: Path) -> None:
    """The file as Spark, pyarrow and DuckDB read it: the ids in order, the other columns whole."""
    ids = list(range(ROWS))
    assert [r.id for r in spark.read.parquet(str(file)).select("id").collect()] == ids
    arrow = pq.read_table(file)
    assert arrow.column("id").to_pylist() == ids
    assert arrow.column("colour").to_pylist()[:7] == ["0", "1", "2", "3", "4", "0", "1"]
    assert pq.ParquetFile(file).metadata.num_row_groups >= 6
    in_file_order = (
        f"SELECT list(id ORDER BY file_row_number) FROM read_parquet('{file}', file_row_number = true)"
    )
    assert duckdb.execute(in_file_order).fetchone() == (ids,)
    assert duckdb.execute(
        f"SELECT count(*), sum(nested.twice) FROM read_parquet('{file}') WHERE colour = '3'"
    ).fetchone() == (ROWS // 5, sum(2 * i for i in range(ROWS) if i % 5 == 3))


def test_write_single_parquet_on_local_disk(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    result = sparkmerge.write_single(table(spark), target, "parquet")
    read_every_way(spark, target)
    assert result.files == 6
    assert "row groups of 6 parts joined, none decoded" in result.reason
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


def test_merge_of_a_parquet_directory_keeps_it(spark: SparkSession, tmp_path: Path) -> None:
    table(spark).write.parquet(str(tmp_path / "src"))
    before = sorted(p.name for p in (tmp_path / "src").iterdir())
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "one.parquet")
    read_every_way(spark, tmp_path / "one.parquet")
    assert sorted(p.name for p in (tmp_path / "src").iterdir()) == before


def test_write_single_parquet_on_hdfs_is_a_concat(
    spark: SparkSession, hdfs: Hdfs, root: str, tmp_path: Path
) -> None:
    result = sparkmerge.write_single(table(spark), f"{root}/out.parquet", "parquet")
    assert result.strategy == "concat"
    (tmp_path / "back.parquet").write_bytes(hdfs.read(f"{root}/out.parquet"))
    read_every_way(spark, tmp_path / "back.parquet")


def test_write_single_parquet_on_s3_is_copied_by_the_store(
    spark: SparkSession, s3: S3, prefix: str, tmp_path: Path
) -> None:
    result = sparkmerge.write_single(table(spark), s3.url(f"{prefix}/out.parquet"), "parquet")
    assert result.strategy == "server-side"
    assert s3.keys(f"{prefix}/") == [f"{prefix}/out.parquet"]
    assert s3.uploads(prefix) == []
    (tmp_path / "back.parquet").write_bytes(s3.get(f"{prefix}/out.parquet"))
    read_every_way(spark, tmp_path / "back.parquet")


@pytest.fixture
def prefix() -> str:
    return f"pq-{uuid.uuid4()}"


def test_a_parquet_file_per_value_and_numbered_files(spark: SparkSession, tmp_path: Path) -> None:
    df = table(spark)
    per_value = sparkmerge.write_single(
        df, tmp_path / "by" / "{colour}.parquet", "parquet", partition_by="colour"
    )
    assert sorted(p.name for p in (tmp_path / "by").iterdir()) == [f"{c}.parquet" for c in range(5)]
    assert len(per_value.results) == 5
    for c in range(5):
        ids = pq.read_table(tmp_path / "by" / f"{c}.parquet").column("id").to_pylist()
        assert ids == [i for i in range(ROWS) if i % 5 == c]
    numbered = sparkmerge.write_single(
        df, tmp_path / "n" / "{n}.parquet", "parquet", max_records_per_file=7_000
    )
    assert [r.target.rsplit("/", 1)[-1] for r in numbered] == [f"{n:05d}.parquet" for n in range(1, 6)]
    ids = [
        i
        for n in range(1, 6)
        for i in pq.read_table(tmp_path / "n" / f"{n:05d}.parquet").column("id").to_pylist()
    ]
    assert ids == list(range(ROWS))


def test_connect_writes_the_same_parquet_file(
    connect: SparkSession, spark: SparkSession, tmp_path: Path
) -> None:
    classic = sparkmerge.write_single(table(spark), tmp_path / "classic.parquet", "parquet")
    remote = sparkmerge.write_single(table(connect), tmp_path / "connect.parquet", "parquet")
    assert (remote.files, remote.strategy) == (classic.files, classic.strategy)
    read_every_way(spark, tmp_path / "connect.parquet")
    if pyspark.__version__.startswith("4."):  # merge on Connect is the SQL procedure, which came with Spark 4
        table(spark).write.parquet(str(tmp_path / "src"))
        sparkmerge.merge(connect, tmp_path / "src", tmp_path / "procedure.parquet")
        read_every_way(spark, tmp_path / "procedure.parquet")


def test_the_command_line_merges_a_parquet_directory(spark: SparkSession, tmp_path: Path) -> None:
    table(spark).write.parquet(str(tmp_path / "src"))
    ran = run_python(
        "-m", "sparkmerge", "--json", str(tmp_path / "src"), str(tmp_path / "cli.parquet"), cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["files"] == 6
    read_every_way(spark, tmp_path / "cli.parquet")
