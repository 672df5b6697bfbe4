"""One Avro file out of Spark's Avro writer (the external spark-avro module, which the tests' session has): the
first part's header, every part's blocks in order, never decoded, each with the first part's sync marker. Read
back by Spark and by fastavro, on local disk, HDFS and S3; without the module, a clear error."""

from __future__ import annotations

from pathlib import Path

import fastavro
import pyspark
import pytest
from conftest import S3, Hdfs, python_env, run_python
from pyspark.sql import DataFrame, SparkSession

import sparkmerge


def events(spark: SparkSession, rows: int = 20_000, partitions: int = 4) -> DataFrame:
    return spark.range(0, rows, 1, partitions).selectExpr(
        "id",
        "concat('user-', id % 97) AS user",
        "CAST(id / 3 AS DECIMAL(12, 2)) AS amount",
        "IF(id % 5 = 0, NULL, array(id, id + 1)) AS pair",
    )


def fast_ids(data_file: Path) -> list[int]:
    with data_file.open("rb") as f:
        return [record["id"] for record in fastavro.reader(f)]


def blocks(data_file: Path) -> list[tuple[int, bytes]]:
    """Each block's row count and bytes as they lie in the file (compressed, if the file is)."""
    with data_file.open("rb") as f:
        return [(block.num_records, block.bytes_.getvalue()) for block in fastavro.block_reader(f)]


def spark_ids(spark: SparkSession, data_file: Path) -> list[int]:
    return [r.id for r in spark.read.format("avro").load(str(data_file)).collect()]


@pytest.mark.parametrize("codec", ["uncompressed", "snappy", "deflate", "zstandard"])
def test_write_single_avro_is_one_file_of_every_row_in_order(
    spark: SparkSession, tmp_path: Path, codec: str
) -> None:
    target = tmp_path / "events.avro"
    result = sparkmerge.write_single(events(spark), target, "avro", compression=codec)

    assert fast_ids(target) == list(range(20_000))
    assert spark_ids(spark, target) == list(range(20_000))
    with target.open("rb") as f:
        reader = fastavro.reader(f)
        assert reader.codec == ("null" if codec == "uncompressed" else codec)
        records = list(reader)
    assert records[3] == {"id": 3, "user": "user-3", "amount": records[3]["amount"], "pair": [3, 4]}
    assert records[5]["pair"] is None and str(records[6]["amount"]) == "2.00"
    assert result.files == 4 and result.bytes == target.stat().st_size
    assert "the blocks of 4 parts behind one header, none decoded" in result.reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.avro"]


def test_merge_of_an_avro_directory_and_a_file_per_value(spark: SparkSession, tmp_path: Path) -> None:
    events(spark).write.format("avro").save(str(tmp_path / "job"))
    parts = sorted((tmp_path / "job").glob("part-*"))

    sparkmerge.merge(spark, tmp_path / "job", tmp_path / "m.avro")

    assert fast_ids(tmp_path / "m.avro") == list(range(20_000))
    # The blocks are the parts' own, byte for byte and in order: none was decoded or written again.
    assert blocks(tmp_path / "m.avro") == [block for part in parts for block in blocks(part)]
    assert sorted((tmp_path / "job").glob("part-*")) == parts

    df = events(spark).selectExpr("*", "CAST(id % 3 AS STRING) AS k")
    sparkmerge.write_single(df, tmp_path / "by" / "{k}.avro", "avro", partition_by="k")
    for k in range(3):
        assert fast_ids(tmp_path / "by" / f"{k}.avro") == list(range(k, 20_000, 3))


def test_an_empty_dataframe_is_an_avro_file_of_its_schema(spark: SparkSession, tmp_path: Path) -> None:
    sparkmerge.write_single(events(spark).limit(0), tmp_path / "e.avro", "avro")

    with (tmp_path / "e.avro").open("rb") as f:
        reader = fastavro.reader(f)
        assert [field["name"] for field in reader.writer_schema["fields"]] == ["id", "user", "amount", "pair"]
        assert list(reader) == []


def test_parts_that_disagree_or_are_damaged_are_refused_and_nothing_is_written(
    spark: SparkSession, tmp_path: Path
) -> None:
    events(spark, 100, 1).write.format("avro").save(str(tmp_path / "mixed"))
    events(spark, 100, 1).selectExpr("id").write.mode("append").format("avro").save(str(tmp_path / "mixed"))
    with pytest.raises(sparkmerge.HeaderMismatchError, match="avro.schema"):
        sparkmerge.merge(spark, tmp_path / "mixed", tmp_path / "a.avro")

    events(spark, 3_000, 3).write.format("avro").save(str(tmp_path / "broken"))
    last = sorted((tmp_path / "broken").glob("part-*"))[-1]
    data = bytearray(last.read_bytes())
    data[-1] ^= 0xFF  # the last sync marker, after the last block
    last.write_bytes(bytes(data))
    last.with_name(f".{last.name}.crc").unlink()  # as another writer's part, without a checksum file
    with pytest.raises(sparkmerge.MergeFailedError, match="not followed by its sync marker"):
        sparkmerge.merge(spark, tmp_path / "broken", tmp_path / "b.avro")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "mixed"]


def test_on_hdfs_and_s3_the_rows_are_the_local_file_s(
    spark: SparkSession, hdfs: Hdfs, root: str, s3: S3, tmp_path: Path
) -> None:
    on_hdfs = sparkmerge.write_single(events(spark), f"{root}/e.avro", "avro", compression="snappy")
    on_s3 = sparkmerge.write_single(events(spark), s3.url("avro/e.avro"), "avro", compression="snappy")

    (tmp_path / "h.avro").write_bytes(hdfs.read(f"{root}/e.avro"))
    (tmp_path / "s.avro").write_bytes(s3.get("avro/e.avro"))
    assert fast_ids(tmp_path / "h.avro") == fast_ids(tmp_path / "s.avro") == list(range(20_000))
    assert on_hdfs.strategy == "copy" and "Avro sync markers" in on_hdfs.reason
    assert on_s3.bytes == (tmp_path / "s.avro").stat().st_size
    assert hdfs.listing(root) == ["e.avro"] and s3.keys("avro/") == ["avro/e.avro"]


def test_connect_writes_and_merges_the_same_avro_rows(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    """Through the data source (and on Spark 4 the procedure) of a Connect server that has spark-avro: the
    rows of a classic session's file, in order, per value too. The files are not byte for byte the same:
    every Avro writer draws its own sync marker."""
    remote = sparkmerge.write_single(events(connect), tmp_path / "connect.avro", "avro")
    classic = sparkmerge.write_single(events(spark), tmp_path / "classic.avro", "avro")
    assert (remote.files, remote.strategy, remote.reason) == (classic.files, classic.strategy, classic.reason)
    with (tmp_path / "connect.avro").open("rb") as c, (tmp_path / "classic.avro").open("rb") as k:
        assert list(fastavro.reader(c)) == list(fastavro.reader(k))
    df = events(connect).selectExpr("*", "CAST(id % 3 AS STRING) AS k")
    per_value = sparkmerge.write_single(df, tmp_path / "by" / "{k}.avro", "avro", partition_by="k")
    assert len(per_value.results) == 3
    for k in range(3):
        assert fast_ids(tmp_path / "by" / f"{k}.avro") == list(range(k, 20_000, 3))
    if pyspark.__version__.startswith("4."):  # merge on Connect is the SQL procedure, which came with Spark 4
        events(spark).write.format("avro").save(str(tmp_path / "job"))
        sparkmerge.merge(connect, tmp_path / "job", tmp_path / "procedure.avro")
        assert fast_ids(tmp_path / "procedure.avro") == list(range(20_000))


def test_without_spark_avro_the_error_says_how_to_add_it(tmp_path: Path) -> None:
    script = (
        "import sparkmerge\n"
        "from pyspark.sql import SparkSession\n"
        "spark = sparkmerge.configure(SparkSession.builder.master('local[1]')).getOrCreate()\n"
        "try:\n"
        "    sparkmerge.write_single(spark.range(3), 'x.avro', 'avro')\n"
        "except sparkmerge.UnsupportedFormatError as e:\n"
        "    print('refused:', e)\n"
    )
    ran = run_python("-c", script, cwd=tmp_path, env=python_env())

    assert ran.returncode == 0, ran.stderr
    assert "refused:" in ran.stdout and "spark.jars.packages=org.apache.spark:spark-avro_2.1" in ran.stdout
    assert not (tmp_path / "x.avro").exists()
