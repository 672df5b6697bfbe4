"""Byte-order marks: ``bom=True`` puts UTF-8's mark once, first, for Excel (``write_single`` and ``merge``, with
or without a header, compressed or not, on local disk, HDFS and S3), and a merge of parts that each start with
a mark (Spark's ``UTF-16`` writes one per part) keeps the first part's only. What a user checks: the bytes, and
the text Python's and Spark's readers get back."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pyspark
import pytest
from conftest import S3, Hdfs, run_python
from pyspark.sql import DataFrame, SparkSession

import sparkmerge

BOM = b"\xef\xbb\xbf"


def frame(spark: SparkSession, rows: int = 400, partitions: int = 4) -> DataFrame:
    # Names Excel shows wrongly without the mark: it reads such files in the system's code page.
    return spark.range(0, rows, 1, partitions).selectExpr("id", "concat('Zoë-', id) AS name")


def lines(rows: int = 400, header: bool = True) -> list[str]:
    return (["id,name"] if header else []) + [f"{i},Zoë-{i}" for i in range(rows)]


def test_write_single_with_bom_starts_the_file_with_one_mark_then_the_header(
    spark: SparkSession, tmp_path: Path
) -> None:
    result = sparkmerge.write_single(frame(spark), tmp_path / "excel.csv", header=True, bom=True)

    data = (tmp_path / "excel.csv").read_bytes()
    assert data.startswith(BOM + b"id,name\n") and data.count(BOM) == 1
    assert data[len(BOM) :].decode("utf-8").splitlines() == lines()
    # Python's utf-8-sig reader, as pandas' encoding="utf-8-sig", takes the mark off and nothing else.
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [line.split(",") for line in lines()]
    assert result.files == 4 and result.bytes == len(data)


def test_write_single_with_bom_and_no_header_gzip_and_an_empty_frame(
    spark: SparkSession, tmp_path: Path
) -> None:
    sparkmerge.write_single(frame(spark), tmp_path / "plain.csv", bom=True)
    assert (tmp_path / "plain.csv").read_bytes() == BOM + "\n".join(lines(header=False)).encode() + b"\n"

    sparkmerge.write_single(
        frame(spark), tmp_path / "zipped.csv.gz", header=True, bom=True, compression="gzip"
    )
    unzipped = gzip.decompress((tmp_path / "zipped.csv.gz").read_bytes())
    assert unzipped == BOM + "\n".join(lines()).encode() + b"\n"
    # Spark reads the gzip members one after the other, the mark left out as its CSV reader does.
    back = spark.read.csv(str(tmp_path / "zipped.csv.gz"), header=True).orderBy("id")
    assert [(r.id, r.name) for r in back.limit(2).collect()] == [("0", "Zoë-0"), ("1", "Zoë-1")]

    sparkmerge.write_single(frame(spark).limit(0), tmp_path / "empty.csv", header=True, bom=True)
    assert (tmp_path / "empty.csv").read_bytes() == BOM + b"id,name\n"


def test_write_single_per_value_with_bom_marks_each_file_once(spark: SparkSession, tmp_path: Path) -> None:
    df = frame(spark).selectExpr("id", "name", "CAST(id % 3 AS STRING) AS k")
    results = sparkmerge.write_single(df, tmp_path / "{k}.csv", partition_by="k", header=True, bom=True)

    assert len(results) == 3
    for k in range(3):
        data = (tmp_path / f"{k}.csv").read_bytes()
        assert data.startswith(BOM + b"id,name\n") and data.count(BOM) == 1
        assert data[len(BOM) :].decode().splitlines()[1:] == [f"{i},Zoë-{i}" for i in range(k, 400, 3)]


def test_merge_with_bom_puts_one_mark_first_and_leaves_no_file_of_its_own(
    spark: SparkSession, tmp_path: Path
) -> None:
    frame(spark).write.csv(str(tmp_path / "job"), header=True)
    frame(spark).write.csv(str(tmp_path / "plain"))

    sparkmerge.merge(spark, tmp_path / "job", tmp_path / "h.csv", header=True, bom=True)
    sparkmerge.merge(spark, tmp_path / "plain", tmp_path / "p.csv", bom=True)

    assert (tmp_path / "h.csv").read_bytes() == BOM + "\n".join(lines()).encode() + b"\n"
    assert (tmp_path / "p.csv").read_bytes() == BOM + "\n".join(lines(header=False)).encode() + b"\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv", "job", "p.csv", "plain"]
    assert not [p for p in (tmp_path / "job").iterdir() if "sparkmerge" in p.name]


def test_parts_that_carry_utf8s_mark_keep_one_with_or_without_bom(
    spark: SparkSession, tmp_path: Path
) -> None:
    # Another writer's parts (pandas' encoding="utf-8-sig"): each starts with the mark, before its header.
    (tmp_path / "sig").mkdir()
    for i in range(3):
        (tmp_path / "sig" / f"part-{i:05d}.csv").write_bytes(BOM + f"id,name\n{i},Zoë-{i}\n".encode())

    sparkmerge.merge(spark, tmp_path / "sig", tmp_path / "h.csv", header=True, bom=True)
    sparkmerge.merge(spark, tmp_path / "sig", tmp_path / "m.csv")

    assert (tmp_path / "h.csv").read_bytes() == BOM + "id,name\n0,Zoë-0\n1,Zoë-1\n2,Zoë-2\n".encode()
    assert (tmp_path / "m.csv").read_bytes() == BOM + "".join(
        f"id,name\n{i},Zoë-{i}\n" for i in range(3)
    ).encode()


def test_a_merge_of_utf16_parts_keeps_the_first_mark_only(spark: SparkSession, tmp_path: Path) -> None:
    frame(spark).write.csv(str(tmp_path / "utf16"), encoding="UTF-16")
    parts = sorted((tmp_path / "utf16").glob("part-*"))
    assert len(parts) == 4 and all(p.read_bytes().startswith(b"\xfe\xff") for p in parts)

    result = sparkmerge.merge(spark, tmp_path / "utf16", tmp_path / "m.csv")

    data = (tmp_path / "m.csv").read_bytes()
    assert data.startswith(b"\xfe\xff") and data.count(b"\xfe\xff") == 1
    assert data.decode("utf-16").splitlines() == lines(header=False)
    assert result.bytes == len(data) == sum(p.stat().st_size for p in parts) - 2 * 3
    back = spark.read.csv(str(tmp_path / "m.csv"), encoding="UTF-16").collect()
    assert sorted(int(r[0]) for r in back) == list(range(400))


def test_a_merge_of_gzip_utf16_parts_keeps_the_first_mark_only(spark: SparkSession, tmp_path: Path) -> None:
    frame(spark).write.csv(str(tmp_path / "gz"), encoding="UTF-16", compression="gzip")

    sparkmerge.merge(spark, tmp_path / "gz", tmp_path / "m.csv.gz")

    data = gzip.decompress((tmp_path / "m.csv.gz").read_bytes())
    assert data.count(b"\xfe\xff") == 1 and data.decode("utf-16").splitlines() == lines(header=False)


def test_marks_that_cannot_be_kept_once_are_refused_and_nothing_is_written(
    spark: SparkSession, tmp_path: Path
) -> None:
    frame(spark).write.csv(str(tmp_path / "utf16h"), encoding="UTF-16", header=True)
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="merge without header"):
        sparkmerge.merge(spark, tmp_path / "utf16h", tmp_path / "a.csv", header=True)
    with pytest.raises(sparkmerge.InvalidOptionError, match="UTF-16BE's: merge without bom"):
        sparkmerge.merge(spark, tmp_path / "utf16h", tmp_path / "b.csv", bom=True)

    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "part-00000.csv").write_bytes(BOM + b"a\n")
    (tmp_path / "mixed" / "part-00001.csv").write_bytes(b"b\n")
    with pytest.raises(
        sparkmerge.UnsupportedFormatError, match="part-00001.csv starts with no byte-order mark"
    ):
        sparkmerge.merge(spark, tmp_path / "mixed", tmp_path / "c.csv")

    with pytest.raises(sparkmerge.InvalidOptionError, match="bom must be true or false"):
        sparkmerge.merge(spark, tmp_path / "utf16h", tmp_path / "d.csv", bom="maybe")
    with pytest.raises(sparkmerge.InvalidOptionError, match="encoding of .* is 'ISO-8859-1'"):
        sparkmerge.write_single(frame(spark), tmp_path / "e.csv", bom=True, encoding="ISO-8859-1")
    with pytest.raises(sparkmerge.InvalidOptionError, match="is json: leave bom out"):
        sparkmerge.write_single(frame(spark), tmp_path / "f.json", format="json", bom=True)
    frame(spark).write.parquet(str(tmp_path / "pq"))
    with pytest.raises(sparkmerge.InvalidOptionError, match="are Parquet: merge without bom"):
        sparkmerge.merge(spark, tmp_path / "pq", tmp_path / "g.parquet", bom=True)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["mixed", "pq", "utf16h"]
    assert not [p for p in (tmp_path / "utf16h").iterdir() if "sparkmerge" in p.name]


def test_on_hdfs_the_mark_is_concatenated_before_the_parts(
    spark: SparkSession, hdfs: Hdfs, root: str
) -> None:
    frame(spark).write.csv(f"{root}/job")
    parts = b"".join(hdfs.read(p) for p in hdfs.parts(f"{root}/job"))

    result = sparkmerge.merge(spark, f"{root}/job", f"{root}/m.csv", bom=True, delete_source=True)
    written = sparkmerge.write_single(frame(spark), f"{root}/w.csv", header=True, bom=True)

    assert (result.strategy, result.files) == ("concat", 4)
    assert hdfs.read(f"{root}/m.csv") == BOM + parts
    assert written.strategy == "concat"
    assert hdfs.read(f"{root}/w.csv") == BOM + "\n".join(lines()).encode() + b"\n"
    assert hdfs.listing(root) == ["m.csv", "w.csv"]


def test_on_s3_the_mark_goes_first_and_no_key_of_its_own_is_left(spark: SparkSession, s3: S3) -> None:
    for i in range(3):
        s3.put(f"bom/src/part-{i:05d}.csv", b"id,name\n" + f"{i},Zoë-{i}\n".encode())

    result = sparkmerge.merge(spark, s3.url("bom/src"), s3.url("bom/m.csv"), header=True, bom=True)
    sparkmerge.write_single(frame(spark), s3.url("bom/w.csv"), header=True, bom=True)

    assert s3.get("bom/m.csv") == BOM + "id,name\n0,Zoë-0\n1,Zoë-1\n2,Zoë-2\n".encode()
    assert result.strategy == "server-side"
    assert s3.get("bom/w.csv") == BOM + "\n".join(lines()).encode() + b"\n"
    assert s3.keys("bom/") == ["bom/m.csv"] + [f"bom/src/part-{i:05d}.csv" for i in range(3)] + ["bom/w.csv"]
    assert s3.uploads("bom") == []


def test_the_command_line_takes_bom_as_an_option(spark: SparkSession, tmp_path: Path) -> None:
    frame(spark).write.csv(str(tmp_path / "job"), header=True)

    ran = run_python(
        "-m", "sparkmerge", "--header", "--option", "bom=true", str(tmp_path / "job"), "m.csv", cwd=tmp_path
    )

    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "m.csv").read_bytes() == BOM + "\n".join(lines()).encode() + b"\n"


def test_bom_on_connect_is_the_classic_file(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    sparkmerge.write_single(frame(spark), tmp_path / "classic.csv", header=True, bom=True)
    sparkmerge.write_single(frame(connect), tmp_path / "connect.csv", header=True, bom=True)
    expected = BOM + "\n".join(lines()).encode() + b"\n"
    assert (tmp_path / "classic.csv").read_bytes() == (tmp_path / "connect.csv").read_bytes() == expected
    if not pyspark.__version__.startswith("4."):
        return  # merge on a Spark 3.5 Connect session says what works instead (test_connect)
    frame(spark).write.csv(str(tmp_path / "job"), header=True)
    sparkmerge.merge(connect, tmp_path / "job", tmp_path / "merged.csv", header=True, bom=True)
    connect.sql(
        f"CALL sparkmerge.system.merge(source => '{tmp_path / 'job'}', target => '{tmp_path / 'sql.csv'}', "
        "header => true, options => map('bom', 'true'))"
    ).collect()
    assert (tmp_path / "merged.csv").read_bytes() == (tmp_path / "sql.csv").read_bytes() == expected
