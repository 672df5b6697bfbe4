"""One ORC file out of Spark, its stripes the parts' own, never decoded, behind one new tail: read back by the
readers users have (Spark, and pyarrow's ORC reader, which is ORC's C++ library), on local disk, on HDFS (a
concat of the parts and the tail) and on S3 (the store copies the parts, the tail is the upload's last part)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pyarrow.orc as po
import pyspark
import pytest
from conftest import S3, Hdfs, data_parts, from_spark, run_python, snapshot, to_utc
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


def read_every_way(spark: SparkSession, file: Path, stripes: int = 6) -> None:
    """The file as Spark and pyarrow read it: the ids in order, the other columns whole, a stripe per part."""
    ids = list(range(ROWS))
    assert [r.id for r in spark.read.orc(str(file)).select("id").collect()] == ids
    orc = po.ORCFile(file)
    assert orc.nrows == ROWS and orc.nstripes >= stripes
    arrow = orc.read()
    assert arrow.column("id").to_pylist() == ids
    assert arrow.column("colour").to_pylist()[:7] == ["0", "1", "2", "3", "4", "0", "1"]
    assert arrow.column("nested").to_pylist()[3] == {"twice": 6, "tags": ["3"]}
    # A stripe at a time, as a reader that splits the file reads it: each the rows of one part, in order.
    assert [orc.read_stripe(s).num_rows for s in range(orc.nstripes)] == [ROWS // stripes] * stripes


def test_write_single_orc_on_local_disk(spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.orc"
    result = sparkmerge.write_single(table(spark), target, "orc")
    read_every_way(spark, target)
    assert result.files == 6 and result.bytes == target.stat().st_size
    assert "stripes of 6 parts joined, none decoded" in result.reason
    assert [p.name for p in tmp_path.iterdir()] == ["out.orc"]


def test_merge_of_an_orc_directory_keeps_it(spark: SparkSession, tmp_path: Path) -> None:
    table(spark).write.orc(str(tmp_path / "src"))
    before = snapshot(tmp_path / "src")
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "one.orc")
    read_every_way(spark, tmp_path / "one.orc")
    assert snapshot(tmp_path / "src") == before


def test_write_single_orc_on_hdfs_is_a_concat(
    spark: SparkSession, hdfs: Hdfs, root: str, tmp_path: Path
) -> None:
    result = sparkmerge.write_single(table(spark), f"{root}/out.orc", "orc")
    assert result.strategy == "concat"
    assert hdfs.listing(root) == ["out.orc"]
    (tmp_path / "back.orc").write_bytes(hdfs.read(f"{root}/out.orc"))
    read_every_way(spark, tmp_path / "back.orc")


def test_write_single_orc_on_s3_is_copied_by_the_store(spark: SparkSession, s3: S3, tmp_path: Path) -> None:
    prefix = f"orc-{uuid.uuid4()}"
    result = sparkmerge.write_single(table(spark), s3.url(f"{prefix}/out.orc"), "orc")
    assert result.strategy == "server-side"
    assert s3.keys(f"{prefix}/") == [f"{prefix}/out.orc"]
    assert s3.uploads(prefix) == []
    (tmp_path / "back.orc").write_bytes(s3.get(f"{prefix}/out.orc"))
    read_every_way(spark, tmp_path / "back.orc")
    assert spark.read.orc(s3.url(f"{prefix}/out.orc")).count() == ROWS


def test_an_orc_file_per_value_and_numbered_files(spark: SparkSession, tmp_path: Path) -> None:
    df = table(spark)
    per_value = sparkmerge.write_single(df, tmp_path / "by" / "{colour}.orc", "orc", partition_by="colour")
    assert sorted(p.name for p in (tmp_path / "by").iterdir()) == [f"{c}.orc" for c in range(5)]
    assert len(per_value.results) == 5
    for c in range(5):
        ids = po.ORCFile(tmp_path / "by" / f"{c}.orc").read().column("id").to_pylist()
        assert ids == [i for i in range(ROWS) if i % 5 == c]
    numbered = sparkmerge.write_single(df, tmp_path / "n" / "{n}.orc", "orc", max_records_per_file=7_000)
    assert [r.target.rsplit("/", 1)[-1] for r in numbered] == [f"{n:05d}.orc" for n in range(1, 6)]
    ids = [
        i
        for n in range(1, 6)
        for i in po.ORCFile(tmp_path / "n" / f"{n:05d}.orc").read().column("id").to_pylist()
    ]
    assert ids == list(range(ROWS))


def test_connect_writes_the_same_orc_file(connect: SparkSession, spark: SparkSession, tmp_path: Path) -> None:
    classic = sparkmerge.write_single(table(spark), tmp_path / "classic.orc", "orc")
    remote = sparkmerge.write_single(table(connect), tmp_path / "connect.orc", "orc")
    assert (remote.files, remote.strategy) == (classic.files, classic.strategy)
    read_every_way(spark, tmp_path / "connect.orc")
    if pyspark.__version__.startswith("4."):  # merge on Connect is the SQL procedure, which came with Spark 4
        table(spark).write.orc(str(tmp_path / "src"))
        sparkmerge.merge(connect, tmp_path / "src", tmp_path / "procedure.orc")
        read_every_way(spark, tmp_path / "procedure.orc")


def test_the_command_line_merges_an_orc_directory(spark: SparkSession, tmp_path: Path) -> None:
    table(spark).write.orc(str(tmp_path / "src"))
    ran = run_python(
        "-m", "sparkmerge", "--json", str(tmp_path / "src"), str(tmp_path / "cli.orc"), cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["files"] == 6
    read_every_way(spark, tmp_path / "cli.orc")


# Codecs, types, statistics, an empty table and the parts refused.

SMALL = 4_000

# The codecs Spark writes ORC with, as pyarrow names them; LZO is Spark's too, and no reader of Arrow's takes it.
CODECS = {
    "none": "UNCOMPRESSED",
    "snappy": "SNAPPY",
    "zlib": "ZLIB",
    "lz4": "LZ4",
    "zstd": "ZSTD",
    "lzo": None,
}


def typed(spark: SparkSession, partitions: int = 4) -> DataFrame:
    """Every kind of column ORC keeps statistics of, each with nulls: timestamps, dates, decimals of both of
    ORC's encodings, binary, booleans, doubles, maps and arrays of structs (some empty)."""
    return spark.range(0, SMALL, 1, partitions).selectExpr(
        "id",
        "IF(id % 11 = 0, NULL, TIMESTAMP_MICROS(1700000000123456 + id * 3600000001)) AS at",
        "IF(id % 13 = 0, NULL, DATE_ADD(DATE'1970-01-01', CAST(id * 7 - 9000 AS INT))) AS day",
        "IF(id % 17 = 0, NULL, CAST(id / 3 AS DECIMAL(18, 3))) AS short_amount",
        "IF(id % 17 = 1, NULL, CAST(concat(IF(id % 2 = 0, '-', ''), CAST(id AS STRING), "
        "'234567890123456789012345.', lpad(CAST(id AS STRING), 10, '7')) AS DECIMAL(38, 10))) AS amount",
        "IF(id % 19 = 0, NULL, IF(id % 23 = 0, X'', unhex(sha2(CAST(id AS STRING), 256)))) AS digest",
        "IF(id % 7 = 0, NULL, id % 3 = 0) AS flag",
        "IF(id % 5 = 0, NULL, id * 0.25D) AS quarter",
        "IF(id % 29 = 0, NULL, map('a', id, 'b', IF(id % 3 = 0, NULL, id * 2))) AS counts",
        "IF(id % 31 = 0, NULL, filter(transform(sequence(0, 3), i -> named_struct('i', i, 'label', "
        "IF(i = 2, NULL, concat('l', CAST(id AS STRING))))), x -> x.i < id % 4)) AS items",
    )


def same_rows_every_way(spark: SparkSession, file: Path, df: DataFrame, arrow: bool = True) -> None:
    """Spark and pyarrow read the file's rows as the DataFrame's, every column, in its order."""
    rows = df.collect()
    assert spark.read.orc(str(file)).collect() == rows
    if arrow:
        assert to_utc(po.ORCFile(file).read().to_pylist()) == [from_spark(row) for row in rows]


@pytest.mark.parametrize("codec", sorted(CODECS))
def test_every_codec_spark_writes_is_the_merged_files(
    spark: SparkSession, tmp_path: Path, codec: str
) -> None:
    """The stripes are copied, never decoded: each codec Spark writes ORC with is the merged file's, and its
    readers decompress every stripe (the tail, stored uncompressed in the codec's frame, too)."""
    df = typed(spark)
    sparkmerge.write_single(df, tmp_path / "single.orc", "orc", compression=codec)
    df.write.option("compression", codec).orc(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.orc")
    for name in ("single.orc", "merged.orc"):
        same_rows_every_way(spark, tmp_path / name, df, arrow=CODECS[codec] is not None)
        if CODECS[codec] is not None:
            orc = po.ORCFile(tmp_path / name)
            assert (orc.compression, orc.nstripes) == (CODECS[codec], 4), name


def test_every_type_and_null_reads_back_and_the_statistics_are_the_rows(
    spark: SparkSession, tmp_path: Path
) -> None:
    """Timestamps, dates, decimals, binary, maps and arrays of structs, nulls among them, as the DataFrame
    holds them; and the aggregates Spark answers from the file's merged statistics alone are the rows'."""
    df = typed(spark)
    sparkmerge.write_single(df, tmp_path / "single.orc", "orc")
    same_rows_every_way(spark, tmp_path / "single.orc", df)
    df.write.orc(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.orc")
    same_rows_every_way(spark, tmp_path / "merged.orc", df)
    query = (
        "SELECT count(*), count(day), min(id), max(id), min(day), max(day), min(quarter), max(quarter), "
        "min(flag), max(flag), max(short_amount) FROM {}"
    )
    df.createOrReplaceTempView("rows")
    expected = spark.sql(query.format("rows")).collect()
    settings = {"spark.sql.orc.aggregatePushdown": "true", "spark.sql.sources.useV1SourceList": ""}
    before = {key: spark.conf.get(key) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        spark.read.orc(str(tmp_path / "merged.orc")).createOrReplaceTempView("merged")
        answered = spark.sql(query.format("merged"))
        assert "PushedAggregation" in answered._jdf.queryExecution().executedPlan().toString()
        assert answered.collect() == expected
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)


def test_filters_find_the_rows_of_the_directory(spark: SparkSession, tmp_path: Path) -> None:
    """Row groups of 1,000 rows in each stripe: a filter pushed down skips them through each stripe's row
    index, found where the stripe now lies, and gives the rows the directory gives."""
    df = typed(spark)
    df.write.option("orc.row.index.stride", "1000").orc(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.orc")
    for where in ["id BETWEEN 1234 AND 1300", "id > 3990 OR id < 5", "flag AND id BETWEEN 2000 AND 2400"]:
        found = spark.read.orc(str(tmp_path / "merged.orc")).where(where).orderBy("id").collect()
        assert found == spark.read.orc(str(tmp_path / "src")).where(where).orderBy("id").collect()
        assert found == df.where(where).collect()
        assert found


def test_an_empty_dataframe_is_an_orc_file_of_its_schema(spark: SparkSession, tmp_path: Path) -> None:
    """No rows, and yet a file every reader opens, with the columns and types of the DataFrame."""
    df = typed(spark).limit(0)
    result = sparkmerge.write_single(df, tmp_path / "e.orc", "orc")
    assert "no stripe: the schema alone" in result.reason
    df.write.orc(str(tmp_path / "src"))
    spark_wrote = po.ORCFile(data_parts(tmp_path / "src")[0])
    assert po.ORCFile(tmp_path / "e.orc").schema.equals(spark_wrote.schema)
    assert po.ORCFile(tmp_path / "e.orc").nrows == 0
    back = spark.read.orc(str(tmp_path / "e.orc"))
    assert back.schema == spark.read.orc(str(tmp_path / "src")).schema
    assert back.count() == 0


@pytest.mark.parametrize("other", ["another column", "another codec"])
def test_parts_of_two_writes_are_refused_naming_the_part(
    spark: SparkSession, tmp_path: Path, other: str
) -> None:
    """Parts that are not one table written one way are refused, naming a part that differs, before anything
    is written: other columns, or the same columns compressed otherwise (the tail names one codec)."""
    table(spark, 2, SMALL).write.option("compression", "zlib").orc(str(tmp_path / "src"))
    first = {p.name for p in data_parts(tmp_path / "src")}
    if other == "another column":
        spark.range(5, numPartitions=1).toDF("other").write.mode("append").orc(str(tmp_path / "src"))
    else:
        table(spark, 1, SMALL).write.mode("append").option("compression", "zstd").orc(str(tmp_path / "src"))
    (appended,) = [p.name for p in data_parts(tmp_path / "src") if p.name not in first]
    before = snapshot(tmp_path)
    with pytest.raises(sparkmerge.HeaderMismatchError) as refused:
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out.orc")
    assert appended in str(refused.value)
    if other == "another column":
        assert "another schema" in str(refused.value)
    else:
        assert all(word in str(refused.value) for word in ("compression", "ZSTD", "ZLIB"))
    assert snapshot(tmp_path) == before


def damage_postscript_length(data: bytearray) -> None:
    data[-1] = 0xFF


def damage_footer_length_beyond_the_file(data: bytearray) -> None:
    # The postscript's first field is the footer's length (field 1, a varint): made larger than the file.
    ps_length = data[-1]
    start = len(data) - 1 - ps_length
    assert data[start] == 0x08
    data[start + 1 : start + 2] = b"\xff"


def damage_footer_bytes(data: bytearray) -> None:
    ps_length = data[-1]
    data[-1 - ps_length - 40 : -1 - ps_length] = b"\xff" * 40


@pytest.mark.parametrize(
    "damage", [damage_postscript_length, damage_footer_length_beyond_the_file, damage_footer_bytes]
)
def test_a_part_with_a_damaged_tail_is_refused_naming_it(
    spark: SparkSession, tmp_path: Path, damage: Any
) -> None:
    """A part whose tail cannot be read (its postscript, its footer) is refused before anything is written,
    naming the part; the directory stays as it was."""
    table(spark, 4, SMALL).write.orc(str(tmp_path / "src"))
    victim = data_parts(tmp_path / "src")[1]
    data = bytearray(victim.read_bytes())
    damage(data)
    victim.write_bytes(bytes(data))
    (victim.parent / f".{victim.name}.crc").unlink()  # as from a writer that keeps no checksum file
    before = snapshot(tmp_path)
    with pytest.raises(sparkmerge.UnsupportedFormatError) as refused:
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out.orc")
    assert victim.name in str(refused.value)
    assert "is not a whole ORC file" in str(refused.value)
    assert snapshot(tmp_path) == before
