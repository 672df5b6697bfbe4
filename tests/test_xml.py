"""One XML document out of Spark 4's xml writer: the declaration and the root element once, every part's rows
in order, byte for byte what ``coalesce(1).write.xml`` writes, on local disk, HDFS and S3, read back by Spark
and by Python's own XML parser. On Spark 3.5, which has no xml format, a clear error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyspark
import pytest
from conftest import S3, Hdfs
from pyspark.sql import DataFrame, SparkSession

import sparkmerge

SPARK_4 = pyspark.__version__.startswith("4.")
spark_4_only = pytest.mark.skipif(not SPARK_4, reason="xml is a format of Spark 4")


def products(spark: SparkSession, rows: int = 3_000, partitions: int = 5) -> DataFrame:
    # Characters XML escapes, and a nested element, in every row.
    return spark.range(0, rows, 1, partitions).selectExpr(
        "id", "concat('a<b & c', id) AS name", "named_struct('w', id % 7, 'h', 2) AS size"
    )


def one_file(spark: SparkSession, df: DataFrame, directory: Path, **options: str) -> bytes:
    """What Spark itself writes as one XML file: the funnel this project replaces, for comparison."""
    df.coalesce(1).write.options(**options).xml(str(directory))
    (part,) = directory.glob("part-*")
    return part.read_bytes()


def ids(document: bytes, row: str = "ROW") -> list[int]:
    root = ET.fromstring(document)
    return [int(element.findtext("id") or -1) for element in root.iter(row)]


@spark_4_only
def test_write_single_xml_is_spark_s_one_file_byte_for_byte(spark: SparkSession, tmp_path: Path) -> None:
    result = sparkmerge.write_single(products(spark), tmp_path / "out.xml", "xml", rowTag="ROW")

    data = (tmp_path / "out.xml").read_bytes()
    assert data == one_file(spark, products(spark), tmp_path / "funnel", rowTag="ROW")
    assert data.count(b"<?xml") == 1 and data.count(b"<ROWS>") == 1 and data.count(b"</ROWS>") == 1
    assert ids(data) == list(range(3_000))
    back = spark.read.xml(str(tmp_path / "out.xml"), rowTag="ROW")
    assert [r.id for r in back.orderBy("id").collect()] == list(range(3_000))
    assert back.filter("name = 'a<b & c7'").count() == 1
    assert (result.files, result.bytes) == (5, len(data))
    assert "the rows of 5 parts in one document, none parsed" in result.reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["funnel", "out.xml"]


@spark_4_only
def test_root_tag_row_tag_declaration_and_no_indent_are_honoured(spark: SparkSession, tmp_path: Path) -> None:
    options = {
        "rowTag": "product",
        "rootTag": "catalog version='2'",
        "declaration": 'version="1.0" encoding="UTF-8"',
        "indent": "",
    }
    sparkmerge.write_single(products(spark, 400, 4), tmp_path / "catalog.xml", "xml", **options)

    data = (tmp_path / "catalog.xml").read_bytes()
    assert data == one_file(spark, products(spark, 400, 4), tmp_path / "funnel", **options)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<catalog version="2">\n<product>')
    root = ET.fromstring(data)
    assert (root.tag, root.get("version")) == ("catalog", "2")
    assert ids(data, "product") == list(range(400))


@spark_4_only
def test_merge_of_an_xml_directory_and_a_file_per_value(spark: SparkSession, tmp_path: Path) -> None:
    products(spark).write.xml(str(tmp_path / "job"), rowTag="ROW")
    before = sorted(p.name for p in (tmp_path / "job").iterdir())

    result = sparkmerge.merge(spark, tmp_path / "job", tmp_path / "m.xml")

    assert (tmp_path / "m.xml").read_bytes() == one_file(
        spark, products(spark), tmp_path / "funnel", rowTag="ROW"
    )
    assert sorted(p.name for p in (tmp_path / "job").iterdir()) == before
    assert result.files == 5

    df = products(spark).selectExpr("*", "CAST(id % 3 AS STRING) AS k")
    results = sparkmerge.write_single(df, tmp_path / "by" / "{k}.xml", "xml", partition_by="k", rowTag="ROW")
    assert len(results) == 3
    for k in range(3):
        assert ids((tmp_path / "by" / f"{k}.xml").read_bytes()) == list(range(k, 3_000, 3))


@spark_4_only
def test_an_empty_dataframe_is_an_empty_root_element(spark: SparkSession, tmp_path: Path) -> None:
    sparkmerge.write_single(products(spark).limit(0), tmp_path / "e.xml", "xml", rowTag="ROW")
    sparkmerge.write_single(
        products(spark).limit(0), tmp_path / "c.xml", "xml", rowTag="p", rootTag="c a='1'", declaration=""
    )

    assert (tmp_path / "e.xml").read_bytes() == (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ROWS>\n</ROWS>'
    )
    assert (tmp_path / "c.xml").read_bytes() == b'<c a="1">\n</c>'
    assert ids((tmp_path / "e.xml").read_bytes()) == []
    # Numbered files of no rows: the first, as for CSV, and a document all the same.
    sparkmerge.write_single(
        products(spark).limit(0), tmp_path / "n-{n}.xml", "xml", rowTag="ROW", max_records_per_file=10
    )
    assert (tmp_path / "n-00001.xml").read_bytes() == (tmp_path / "e.xml").read_bytes()


@spark_4_only
def test_xml_that_cannot_be_joined_is_refused_before_or_without_writing(
    spark: SparkSession, tmp_path: Path
) -> None:
    with pytest.raises(sparkmerge.InvalidOptionError, match="without rowTag"):
        sparkmerge.write_single(products(spark), tmp_path / "a.xml", "xml")
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="compressed XML parts are not joined yet"):
        sparkmerge.write_single(products(spark), tmp_path / "b.xml", "xml", rowTag="ROW", compression="gzip")

    # Parts of two root tags, as two jobs would leave them in one folder.
    products(spark, 10, 1).write.xml(str(tmp_path / "mixed"), rowTag="ROW")
    products(spark, 10, 1).write.mode("append").xml(str(tmp_path / "mixed"), rowTag="ROW", rootTag="OTHER")
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="not written with one root tag"):
        sparkmerge.merge(spark, tmp_path / "mixed", tmp_path / "c.xml")
    with pytest.raises(sparkmerge.InvalidOptionError, match="are XML: merge without header"):
        sparkmerge.merge(spark, tmp_path / "mixed", tmp_path / "d.xml", header=True)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["mixed"]


@pytest.mark.skipif(SPARK_4, reason="Spark 4 has the xml format")
def test_on_spark_3_5_xml_says_what_works(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="xml is a format of Spark 4"):
        sparkmerge.write_single(products(spark), tmp_path / "a.xml", "xml", rowTag="ROW")
    assert list(tmp_path.iterdir()) == []


@spark_4_only
def test_checked_parts_are_checked_to_their_last_byte(spark: SparkSession, tmp_path: Path) -> None:
    # Spark's checksum files cover the end tag a merge drops: the last chunk's sum, which only the end tag's
    # bytes complete, is still compared. Made wrong here, it must fail the merge.
    products(spark, 300, 3).write.xml(str(tmp_path / "job"), rowTag="ROW")
    first = sorted((tmp_path / "job").glob("part-*"))[0]
    crc = first.with_name(f".{first.name}.crc")
    sums = crc.read_bytes()
    crc.write_bytes(sums[:-4] + bytes(b ^ 0xFF for b in sums[-4:]))

    with pytest.raises(sparkmerge.SparkMergeError, match="checksum"):
        sparkmerge.merge(spark, tmp_path / "job", tmp_path / "m.xml")
    assert not (tmp_path / "m.xml").exists()


@spark_4_only
def test_on_hdfs_and_s3_the_document_is_the_local_one(
    spark: SparkSession, hdfs: Hdfs, root: str, s3: S3, tmp_path: Path
) -> None:
    local = tmp_path / "local.xml"
    sparkmerge.write_single(products(spark), local, "xml", rowTag="ROW")

    on_hdfs = sparkmerge.write_single(products(spark), f"{root}/h.xml", "xml", rowTag="ROW")
    on_s3 = sparkmerge.write_single(products(spark), s3.url("xml/s.xml"), "xml", rowTag="ROW")

    assert hdfs.read(f"{root}/h.xml") == local.read_bytes() == s3.get("xml/s.xml")
    assert on_hdfs.strategy == "copy" and "XML root tags" in on_hdfs.reason
    assert on_s3.bytes == local.stat().st_size
    assert hdfs.listing(root) == ["h.xml"] and s3.keys("xml/") == ["xml/s.xml"]


@spark_4_only
def test_large_parts_on_s3_are_copied_by_the_store_without_their_root_tags(
    spark: SparkSession, s3: S3, tmp_path: Path
) -> None:
    # Three parts of over 5 MiB each: the store copies each one's rows as a byte range.
    df = spark.range(0, 90_000, 1, 3).selectExpr("id", "repeat('x', 120) AS pad")
    df.write.xml(str(tmp_path / "job"), rowTag="ROW")
    parts = sorted((tmp_path / "job").glob("part-*"))
    assert all(p.stat().st_size > 5 << 20 for p in parts)
    for i, part in enumerate(parts):
        s3.put(f"xmlbig/src/part-{i:05d}.xml", part.read_bytes())

    result = sparkmerge.merge(spark, s3.url("xmlbig/src"), s3.url("xmlbig/one.xml"))

    assert s3.get("xmlbig/one.xml") == one_file(spark, df, tmp_path / "funnel", rowTag="ROW")
    assert result.strategy == "server-side" and "the store copied" in result.reason
    assert s3.uploads("xmlbig") == []


@spark_4_only
def test_connect_writes_and_merges_the_same_document(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    sparkmerge.write_single(products(spark), tmp_path / "classic.xml", "xml", rowTag="ROW")
    sparkmerge.write_single(products(connect), tmp_path / "connect.xml", "xml", rowTag="ROW")
    products(spark).write.xml(str(tmp_path / "job"), rowTag="ROW")
    sparkmerge.merge(connect, tmp_path / "job", tmp_path / "merged.xml")

    expected = (tmp_path / "classic.xml").read_bytes()
    assert (tmp_path / "connect.xml").read_bytes() == expected
    assert (tmp_path / "merged.xml").read_bytes() == expected
