"""One Parquet file out of Spark, its row groups the parts' own, never decoded: read back by the readers users
have (Spark, pyarrow, DuckDB), on local disk, on HDFS (a concat of the parts and the new footer) and on S3
(the store copies the parts, the footer is the upload's last part)."""

from __future__ import annotations

import contextlib
import json
import struct
import uuid
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow.parquet as pq
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


# Codecs, types, dictionary pages, bloom filters, page indexes, an empty table and the parts refused (issue 23).

SMALL = 4_000


def small(spark: SparkSession, partitions: int = 4) -> DataFrame:
    """A few thousand rows in a few parts, each part a row group of its own."""
    return table(spark, partitions, SMALL)


def typed(spark: SparkSession, partitions: int = 4) -> DataFrame:
    """Every kind of column a user keeps in Parquet, each with nulls: timestamps (INT96, Spark's default),
    dates, DECIMAL(38, 10) at full precision, binary, maps, arrays of structs (some empty), and a
    low-cardinality string that parquet-mr writes as a dictionary."""
    return spark.range(0, SMALL, 1, partitions).selectExpr(
        "id",
        "IF(id % 11 = 0, NULL, TIMESTAMP_MICROS(1700000000123456 + id * 3600000001)) AS at",
        "IF(id % 13 = 0, NULL, DATE_ADD(DATE'1970-01-01', CAST(id * 7 - 9000 AS INT))) AS day",
        "IF(id % 17 = 0, NULL, CAST(concat(IF(id % 2 = 0, '-', ''), CAST(id AS STRING), "
        "'234567890123456789012345.', lpad(CAST(id AS STRING), 10, '7')) AS DECIMAL(38, 10))) AS amount",
        "IF(id % 19 = 0, NULL, IF(id % 23 = 0, X'', unhex(sha2(CAST(id AS STRING), 256)))) AS digest",
        "IF(id % 29 = 0, NULL, map('a', id, 'b', IF(id % 3 = 0, NULL, id * 2))) AS counts",
        "IF(id % 31 = 0, NULL, filter(transform(sequence(0, 3), i -> named_struct('i', i, 'label', "
        "IF(i = 2, NULL, concat('l', CAST(id AS STRING))))), x -> x.i < id % 4)) AS items",
        "IF(id % 37 = 0, NULL, CAST(id % 5 AS STRING)) AS colour",
    )


def same_rows_every_way(spark: SparkSession, file: Path, df: DataFrame) -> None:
    """Spark, pyarrow and DuckDB read the file's rows as the DataFrame's, every column, in its order."""
    rows = df.collect()
    assert spark.read.parquet(str(file)).collect() == rows
    expected = [from_spark(row) for row in rows]
    assert to_utc(pq.read_table(file).to_pylist()) == expected
    with duckdb.connect() as con:
        in_file_order = con.sql(
            f"SELECT * EXCLUDE (file_row_number) FROM read_parquet('{file}', file_row_number = true) "
            "ORDER BY file_row_number"
        ).to_arrow_table()
    assert to_utc(in_file_order.to_pylist()) == expected


@contextlib.contextmanager
def parquet_mr(spark: SparkSession, file: Path) -> Iterator[Any]:
    """parquet-mr's reader of a file, in the session's JVM: it reads what pyarrow does not (bloom filters, the
    column and offset indexes) as Spark's readers do."""
    jvm: Any = spark._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
    hadoop_file = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
        jvm.org.apache.hadoop.fs.Path(str(file)), conf
    )
    reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(hadoop_file)
    try:
        yield reader
    finally:
        reader.close()


def chunks_of(reader: Any, column: str | None = None) -> Iterator[Any]:
    """parquet-mr's column chunks of every row group in order, of one column or all."""
    for block in reader.getFooter().getBlocks():
        for chunk in block.getColumns():
            if column is None or chunk.getPath().toDotString() == column:
                yield chunk


def chunks_beside_the_parts(file: Path, directory: Path) -> Iterator[tuple[Any, Any, int]]:
    """Every column chunk of the file merged from ``directory``, with the part's own chunk it came from and
    where that part starts in the file (the parts with row groups lie whole, in order)."""
    theirs, start = [], 0
    for part in data_parts(directory):
        meta = pq.ParquetFile(part).metadata
        theirs += [(meta.row_group(g), start) for g in range(meta.num_row_groups)]
        start += part.stat().st_size if meta.num_row_groups else 0
    merged = pq.ParquetFile(file).metadata
    assert merged.num_row_groups == len(theirs) > 1
    for g, (group, shift) in enumerate(theirs):
        assert merged.row_group(g).num_rows == group.num_rows
        for c in range(group.num_columns):
            yield merged.row_group(g).column(c), group.column(c), shift


CODECS = {
    "none": "UNCOMPRESSED",
    "uncompressed": "UNCOMPRESSED",
    "snappy": "SNAPPY",
    "gzip": "GZIP",
    "zstd": "ZSTD",
    "lz4_raw": "LZ4",  # pyarrow's name of Parquet's LZ4_RAW
}
# The same, in parquet-mr's names (CompressionCodecName), which are the format's.
SPARK_CODECS = {**CODECS, "lz4_raw": "LZ4_RAW"}


@pytest.mark.parametrize("codec", sorted(CODECS))
def test_every_codec_spark_writes_stays_on_every_column_chunk(
    spark: SparkSession, tmp_path: Path, codec: str
) -> None:
    """The pages are copied, never decoded: each codec Spark writes Parquet with is the merged file's, on every
    column chunk, and every reader decompresses it."""
    df = small(spark)
    sparkmerge.write_single(df, tmp_path / "single.parquet", "parquet", compression=codec)
    df.write.option("compression", codec).parquet(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.parquet")
    for name in ("single.parquet", "merged.parquet"):
        same_rows_every_way(spark, tmp_path / name, df)
        meta = pq.ParquetFile(tmp_path / name).metadata
        assert meta.num_row_groups == 4
        codecs = {
            meta.row_group(g).column(c).compression
            for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)
        }
        assert codecs == {CODECS[codec]}, name
        with parquet_mr(spark, tmp_path / name) as reader:  # pyarrow says LZ4 for Parquet's LZ4_RAW
            assert {str(chunk.getCodec().name()) for chunk in chunks_of(reader)} == {SPARK_CODECS[codec]}


def test_every_type_and_null_reads_back_and_dictionary_pages_are_found(
    spark: SparkSession, tmp_path: Path
) -> None:
    """Timestamps, dates, wide decimals, binary, maps and arrays of structs, nulls among them, as the DataFrame
    holds them; the dictionary of the low-cardinality column is on every row group, where the part's was."""
    df = typed(spark)
    sparkmerge.write_single(df, tmp_path / "single.parquet", "parquet")
    same_rows_every_way(spark, tmp_path / "single.parquet", df)
    df.write.parquet(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.parquet")
    same_rows_every_way(spark, tmp_path / "merged.parquet", df)
    for ours, theirs, shift in chunks_beside_the_parts(tmp_path / "merged.parquet", tmp_path / "src"):
        assert ours.data_page_offset == theirs.data_page_offset + shift
        if ours.path_in_schema == "colour":
            assert ours.has_dictionary_page and theirs.has_dictionary_page
            assert ours.dictionary_page_offset == theirs.dictionary_page_offset + shift


def test_bloom_filters_of_the_parts_answer_in_the_merged_file(spark: SparkSession, tmp_path: Path) -> None:
    """Each row group's bloom filter is found where the moved offset says, the part's own, holding the group's
    values; a filter on the file finds the rows it finds on the directory (none lost to a wrong filter)."""
    df = small(spark).selectExpr("*", "concat('k', CAST(id * 7919 % 100003 AS STRING)) AS key")
    blooms = {
        "parquet.bloom.filter.enabled#colour": "true",
        "parquet.bloom.filter.enabled#key": "true",
        # parquet-mr writes no bloom filter for a chunk its dictionary encodes whole
        "parquet.enable.dictionary#colour": "false",
        "parquet.enable.dictionary#key": "false",
    }
    df.write.options(**blooms).parquet(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.parquet")
    jvm: Any = spark._jvm

    def filters(reader: Any) -> list[bytes]:
        found = []
        for column in ("colour", "key"):
            for chunk in chunks_of(reader, column):
                bloom = reader.readBloomFilter(chunk)
                assert bloom is not None, f"no bloom filter for {chunk}"
                for present in (chunk.getStatistics().genericGetMin(), chunk.getStatistics().genericGetMax()):
                    assert bloom.findHash(bloom.hash(present)), (
                        f"{present.toStringUsingUTF8()} not in {chunk}"
                    )
                out = jvm.java.io.ByteArrayOutputStream()
                bloom.writeTo(out)
                found.append(bytes(out.toByteArray()))
        return found

    per_part = []  # each part's one row group: its filter of colour, then of key
    for part in data_parts(tmp_path / "src"):
        with parquet_mr(spark, part) as reader:
            per_part.append(filters(reader))
    theirs = [part[0] for part in per_part] + [part[1] for part in per_part]
    with parquet_mr(spark, tmp_path / "merged.parquet") as reader:
        assert filters(reader) == theirs
    assert len(theirs) == 2 * 4
    keys = [r.key for r in df.where("id IN (7, 1234, 2999, 3998)").collect()]
    pushdown = spark.conf.get("spark.sql.parquet.filterPushdown")
    spark.conf.set("spark.sql.parquet.filterPushdown", "true")
    try:
        wheres = [(f"key = '{k}'", 1) for k in keys]
        wheres += [("key = 'k50000x'", 0), ("colour = '3'", SMALL // 5), ("colour = 'blue'", 0)]
        for where, rows in wheres:
            found = spark.read.parquet(str(tmp_path / "merged.parquet")).where(where).orderBy("id").collect()
            assert found == spark.read.parquet(str(tmp_path / "src")).where(where).orderBy("id").collect()
            assert len(found) == rows, where
    finally:
        spark.conf.set("spark.sql.parquet.filterPushdown", pushdown)


def test_page_indexes_of_the_parts_are_found_in_the_merged_file(spark: SparkSession, tmp_path: Path) -> None:
    """Pages of 100 rows, so that a filter reads a few pages through the column and offset indexes: the
    file's chunks have them where the parts' had them, their pages where the data now lies, and filters that
    skip pages find the rows the directory gives."""
    df = small(spark)
    pages = {"parquet.page.row.count.limit": "100", "parquet.page.size": "1024"}
    df.write.options(**pages).parquet(str(tmp_path / "src"))
    sparkmerge.merge(spark, tmp_path / "src", tmp_path / "merged.parquet")
    indexed = 0
    for ours, theirs, _ in chunks_beside_the_parts(tmp_path / "merged.parquet", tmp_path / "src"):
        assert (ours.has_column_index, ours.has_offset_index) == (
            theirs.has_column_index,
            theirs.has_offset_index,
        )
        indexed += theirs.has_offset_index
    assert indexed > 0
    with parquet_mr(spark, tmp_path / "merged.parquet") as reader:
        for chunk in chunks_of(reader, "id"):
            pages_of_id = reader.readOffsetIndex(chunk)
            assert pages_of_id.getPageCount() >= 10
            assert pages_of_id.getOffset(0) == chunk.getFirstDataPageOffset()
            assert reader.readColumnIndex(chunk).getMinValues().size() == pages_of_id.getPageCount()
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
    key = "parquet.filter.columnindex.enabled"
    before = conf.get(key)
    conf.set(key, "true")
    try:
        for where in [
            "id BETWEEN 1234 AND 1300",
            "id > 3990 OR id < 5",
            "colour = '3' AND id BETWEEN 2000 AND 2400",
        ]:
            found = spark.read.parquet(str(tmp_path / "merged.parquet")).where(where).orderBy("id").collect()
            assert found == spark.read.parquet(str(tmp_path / "src")).where(where).orderBy("id").collect()
            assert found == df.where(where).collect()
            assert found
    finally:
        if before is None:
            conf.unset(key)
        else:
            conf.set(key, before)


def test_an_empty_dataframe_is_a_parquet_file_of_its_schema(spark: SparkSession, tmp_path: Path) -> None:
    """No rows, and yet a file every reader opens, with the columns and types of the DataFrame."""
    df = typed(spark).limit(0)
    sparkmerge.write_single(df, tmp_path / "e.parquet", "parquet")
    df.write.parquet(str(tmp_path / "src"))
    spark_wrote = pq.read_schema(data_parts(tmp_path / "src")[0])
    assert pq.read_schema(tmp_path / "e.parquet").equals(spark_wrote, check_metadata=True)
    assert pq.ParquetFile(tmp_path / "e.parquet").metadata.num_rows == 0
    assert duckdb.execute(f"SELECT count(*) FROM read_parquet('{tmp_path / 'e.parquet'}')").fetchone() == (0,)
    back = spark.read.parquet(str(tmp_path / "e.parquet"))
    assert back.schema == spark.read.parquet(str(tmp_path / "src")).schema
    assert back.count() == 0


@pytest.mark.parametrize("other", ["another column", "a column comment"])
def test_parts_of_two_tables_are_refused_naming_the_part(
    spark: SparkSession, tmp_path: Path, other: str
) -> None:
    """Parts that do not hold one table are refused, naming a part that differs, before anything is written:
    other columns (another Parquet schema), or the same columns with other Spark metadata (a comment)."""
    small(spark, 2).write.parquet(str(tmp_path / "src"))
    first = {p.name for p in data_parts(tmp_path / "src")}
    if other == "another column":
        spark.range(5, numPartitions=1).toDF("other").write.mode("append").parquet(str(tmp_path / "src"))
    else:
        commented = small(spark, 1).withMetadata("colour", {"comment": "the colour, 0 to 4"})
        commented.write.mode("append").parquet(str(tmp_path / "src"))
    (appended,) = [p.name for p in data_parts(tmp_path / "src") if p.name not in first]
    before = snapshot(tmp_path)
    with pytest.raises(sparkmerge.HeaderMismatchError) as refused:
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out.parquet")
    assert appended in str(refused.value)
    assert ("another schema" if other == "another column" else "another key-value metadata") in str(
        refused.value
    )
    assert snapshot(tmp_path) == before


def damage_footer_length_beyond_the_file(data: bytearray) -> None:
    data[-8:-4] = struct.pack("<I", len(data))


def damage_footer_length_cut_short(data: bytearray) -> None:
    data[-8:-4] = struct.pack("<I", 20)


def damage_footer_bytes(data: bytearray) -> None:
    (length,) = struct.unpack("<I", data[-8:-4])
    data[-8 - length : -8 - length + 64] = b"\xff" * 64


@pytest.mark.parametrize(
    "damage", [damage_footer_length_beyond_the_file, damage_footer_length_cut_short, damage_footer_bytes]
)
def test_a_part_with_a_damaged_footer_is_refused_naming_it(
    spark: SparkSession, tmp_path: Path, damage: Any
) -> None:
    """A part whose footer cannot be read (its length wrong, its bytes overwritten) is refused before anything
    is written, naming the part; the directory stays as it was."""
    small(spark).write.parquet(str(tmp_path / "src"))
    victim = data_parts(tmp_path / "src")[1]
    data = bytearray(victim.read_bytes())
    damage(data)
    victim.write_bytes(bytes(data))
    (victim.parent / f".{victim.name}.crc").unlink()  # as from a writer that keeps no checksum file
    before = snapshot(tmp_path)
    with pytest.raises(sparkmerge.UnsupportedFormatError) as refused:
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out.parquet")
    assert victim.name in str(refused.value)
    assert "is not a whole Parquet file" in str(refused.value)
    assert snapshot(tmp_path) == before
