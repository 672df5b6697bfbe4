"""merge: a directory of part files Spark wrote becomes one file; a bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import data_parts, snapshot
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import sparkmerge

ROWS = 2_000


def frame(spark: SparkSession, partitions: int = 8) -> DataFrame:
    return spark.range(0, ROWS, 1, partitions).select(
        F.col("id"), F.concat(F.lit("name-"), F.col("id").cast("string")).alias("name")
    )


def expected_lines(header: bool = True) -> list[str]:
    return (["id,name"] if header else []) + [f"{i},name-{i}" for i in range(ROWS)]


@pytest.fixture
def source(spark: SparkSession, tmp_path: Path) -> Path:
    """A directory as Spark writes it: 8 parts with a header each, _SUCCESS and the local .crc files."""
    directory = tmp_path / "job output"
    frame(spark).write.csv(str(directory), header=True)
    assert len(data_parts(directory)) == 8
    assert (directory / "_SUCCESS").exists()
    return directory


def test_header_is_kept_once(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "merged.csv"

    result = sparkmerge.merge(spark, source, target, header=True)

    assert target.read_text().splitlines() == expected_lines()
    assert (result.files, result.bytes, result.strategy) == (8, target.stat().st_size, "copy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job output", "merged.csv"]


def test_without_header_the_parts_are_joined_byte_for_byte(
    source: Path, spark: SparkSession, tmp_path: Path
) -> None:
    target = tmp_path / "merged.csv"

    sparkmerge.merge(spark, str(source), str(target))

    assert target.read_bytes() == b"".join(p.read_bytes() for p in data_parts(source))


def test_parts_are_taken_in_task_order_not_name_order(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    for task in (100000, 9, 99999, 10, 2):
        (source / f"part-{task:05d}-0b1c.csv").write_text(f"{task}\n")
    target = tmp_path / "merged.csv"

    sparkmerge.merge(spark, source, target)

    assert target.read_text().splitlines() == ["2", "9", "10", "99999", "100000"]


def test_side_files_are_left_out(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    for name in ("_committed_123", "_started_123", ".hidden", "_metadata", "part-00000.csv.crc"):
        (source / name).write_text("side,file\n")
    temporary = source / "_temporary" / "0" / "task_1"
    temporary.mkdir(parents=True)
    (temporary / "part-00099.csv").write_text("unfinished,task\n")
    (source / "_SUCCESS").write_text("success,marker\n")
    target = tmp_path / "merged.csv"

    result = sparkmerge.merge(spark, source, target, header=True)

    assert target.read_text().splitlines() == expected_lines()
    assert result.files == 8


def test_overwrite_replaces_an_existing_target(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "merged.csv"
    target.write_text("old\n" * 10_000)

    sparkmerge.merge(spark, source, target, header=True, overwrite=True)

    assert target.read_text().splitlines() == expected_lines()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job output", "merged.csv"]


def test_delete_source_removes_it_after_the_merge(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "merged.csv"

    sparkmerge.merge(spark, source, target, header=True, delete_source=True)

    assert not source.exists()
    assert target.read_text().splitlines() == expected_lines()
    assert [p.name for p in tmp_path.iterdir()] == ["merged.csv"]


def test_paths_with_spaces_and_non_ascii(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "sortie du job ü"
    frame(spark, 3).write.csv(str(source), header=True)
    target = tmp_path / "résultats finaux" / "données €.csv"

    sparkmerge.merge(spark, source, target, header=True)

    assert target.read_text().splitlines() == expected_lines()
    assert [p.name for p in target.parent.iterdir()] == ["données €.csv"]


def test_gzip_parts_with_headers(spark: SparkSession, tmp_path: Path) -> None:
    import gzip

    source = tmp_path / "gz"
    frame(spark, 4).write.csv(str(source), header=True, compression="gzip")
    target = tmp_path / "merged.csv.gz"

    sparkmerge.merge(spark, source, target, header=True)

    with gzip.open(target, "rt") as merged:
        assert merged.read().splitlines() == expected_lines()


# Every refusal: the right class, a one-line message naming the path, and not a byte changed anywhere.


def refused(
    spark: SparkSession,
    tmp_path: Path,
    error: type[sparkmerge.SparkMergeError],
    source: Path,
    target: Path,
    **kw: bool,
) -> str:
    before = snapshot(tmp_path)
    with pytest.raises(error) as raised:
        sparkmerge.merge(spark, source, target, **kw)
    assert type(raised.value) is error
    assert snapshot(tmp_path) == before
    message = str(raised.value)
    assert "\n" not in message and "Py4J" not in message
    return message


def test_missing_source(spark: SparkSession, tmp_path: Path) -> None:
    missing = tmp_path / "no such dir"
    message = refused(spark, tmp_path, sparkmerge.SourceNotFoundError, missing, tmp_path / "out.csv")
    assert str(missing) in message
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("side_files", [[], ["_SUCCESS", "._SUCCESS.crc"]])
def test_source_without_data_files(spark: SparkSession, tmp_path: Path, side_files: list[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for name in side_files:
        (empty / name).write_bytes(b"")
    message = refused(spark, tmp_path, sparkmerge.EmptySourceError, empty, tmp_path / "out.csv")
    assert str(empty) in message


def test_an_orc_part_cut_short(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "orc"
    frame(spark, 2).write.orc(str(source))
    victim = data_parts(source)[0]
    victim.write_bytes(victim.read_bytes()[:-1])
    (victim.parent / f".{victim.name}.crc").unlink()
    message = refused(spark, tmp_path, sparkmerge.UnsupportedFormatError, source, tmp_path / "out.orc")
    assert str(victim) in message and "not a whole ORC file" in message


def test_parquet_parts_without_extension_are_joined(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "parquet"
    frame(spark, 2).write.parquet(str(source))
    for part in data_parts(source):
        part.rename(part.with_name(part.name.split(".")[0]))
    sparkmerge.merge(spark, source, tmp_path / "out.parquet")
    assert spark.read.parquet(str(tmp_path / "out.parquet")).count() == ROWS


def test_target_exists(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "merged.csv"
    target.write_bytes(b"keep me\n")
    message = refused(spark, tmp_path, sparkmerge.TargetExistsError, source, target, header=True)
    assert str(target) in message


def test_target_inside_source(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    message = refused(spark, tmp_path, sparkmerge.InvalidLayoutError, source, source / "merged.csv")
    assert str(source) in message


def test_target_is_the_source(source: Path, spark: SparkSession, tmp_path: Path) -> None:
    refused(spark, tmp_path, sparkmerge.InvalidLayoutError, source, source, overwrite=True)


def test_partitioned_source(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "partitioned"
    frame(spark, 2).withColumn("even", F.col("id") % 2 == 0).write.partitionBy("even").csv(str(source))
    message = refused(spark, tmp_path, sparkmerge.InvalidLayoutError, source, tmp_path / "out.csv")
    assert "even=" in message


def test_parts_with_different_headers(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "mixed"
    source.mkdir()
    (source / "part-00000.csv").write_text("a,b\n1,2\n")
    (source / "part-00001.csv").write_text("x,y\n3,4\n")
    message = refused(
        spark, tmp_path, sparkmerge.HeaderMismatchError, source, tmp_path / "out.csv", header=True
    )
    assert "part-00001.csv" in message


def test_wrong_argument_types(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="source"):
        sparkmerge.merge(spark, None, tmp_path / "out.csv")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="header"):
        sparkmerge.merge(spark, tmp_path, tmp_path / "out.csv", header="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="spark"):
        sparkmerge.merge(spark.sparkContext, tmp_path, tmp_path / "out.csv")  # type: ignore[arg-type]


def test_windows_line_endings_with_header(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "crlf"
    source.mkdir()
    (source / "part-00000.csv").write_bytes(b"a,b\r\n1,2\r\n")
    (source / "part-00001.csv").write_bytes(b"a,b\r\n3,4\r\n")

    sparkmerge.merge(spark, source, tmp_path / "out.csv", header=True)

    assert (tmp_path / "out.csv").read_bytes() == b"a,b\r\n1,2\r\n3,4\r\n"


def test_empty_and_header_only_parts(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "sparse"
    source.mkdir()
    for task, content in enumerate([b"", b"a\n1\n", b"a\n", b"a\n2\n"]):
        (source / f"part-{task:05d}.csv").write_bytes(content)

    sparkmerge.merge(spark, source, tmp_path / "out.csv", header=True)

    assert (tmp_path / "out.csv").read_bytes() == b"a\n1\n2\n"


def test_header_with_a_quoted_line_break(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "multiline"
    spark.range(0, 4, 1, 2).select(F.col("id").alias("a\nb"), F.col("id").alias("c")).write.csv(
        str(source), header=True
    )

    sparkmerge.merge(spark, source, tmp_path / "out.csv", header=True)

    merged = (tmp_path / "out.csv").read_bytes()
    header = b'"a\nb",c\n'
    assert merged.startswith(header)
    assert merged[len(header) :] == b"0,0\n1,1\n2,2\n3,3\n"
