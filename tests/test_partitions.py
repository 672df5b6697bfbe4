"""One file per partition value: merge() of a directory written with partitionBy to a target with {column} in
it. Each file is compared byte for byte with a merge of its partition's directory alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.sql import SparkSession

import sparkmerge


def partitioned(spark: SparkSession, directory: Path) -> None:
    """Sorted rows of three countries, a null among them, written by partitionBy with a header in each part."""
    df = spark.range(0, 3000, 1, 4).selectExpr(
        "id", "CASE id % 3 WHEN 0 THEN 'FR' WHEN 1 THEN 'Côte d\\'Ivoire' END AS country"
    )
    df.write.partitionBy("country").csv(str(directory), header=True)


def test_one_file_per_value_each_the_merge_of_its_partition(spark: SparkSession, tmp_path: Path) -> None:
    partitioned(spark, tmp_path / "src")
    results = sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out" / "{country}.csv", header=True)

    leaves = sorted(p.name for p in (tmp_path / "src").iterdir() if p.is_dir())
    # Spark's escaping of the value in the directory name is what the file's name gets: ' is %27, null its name.
    assert leaves == ["country=Côte d%27Ivoire", "country=FR", "country=__HIVE_DEFAULT_PARTITION__"]
    for leaf in leaves:
        alone = sparkmerge.merge(
            spark, tmp_path / "src" / leaf, tmp_path / "alone.csv", header=True, overwrite=True
        )
        merged = tmp_path / "out" / f"{leaf.split('=', 1)[1]}.csv"
        assert merged.read_bytes() == (tmp_path / "alone.csv").read_bytes()
        assert merged.read_bytes().count(b"id\n") == 1
        assert merged.read_bytes().count(b"\n") == 1001 and alone.files >= 1
    assert isinstance(results, sparkmerge.MergeResults)
    assert len(results) == 3
    assert [Path(r.target).name for r in results] == [f"{leaf.split('=', 1)[1]}.csv" for leaf in leaves]
    assert results.bytes == sum(r.bytes for r in results)
    assert results.target == str(tmp_path / "out" / "{country}.csv")


def test_an_existing_target_refuses_all_before_any_is_written(spark: SparkSession, tmp_path: Path) -> None:
    partitioned(spark, tmp_path / "src")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "FR.csv").write_bytes(b"old\n")

    with pytest.raises(sparkmerge.TargetExistsError, match="FR.csv"):
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out" / "{country}.csv", header=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["FR.csv"]
    with pytest.raises(sparkmerge.InvalidOptionError, match="the partitions of"):
        sparkmerge.merge(spark, tmp_path / "src", tmp_path / "out" / "{day}.csv", overwrite=True)
    assert (tmp_path / "out" / "FR.csv").read_bytes() == b"old\n"


def test_write_single_per_value_is_write_single_of_each_value(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.range(0, 3000, 1, 4).selectExpr(
        "id", "CASE id % 3 WHEN 0 THEN 'FR' WHEN 1 THEN 'a/b' END AS country", "concat('u', id) AS name"
    )
    results = sparkmerge.write_single(
        df, tmp_path / "out" / "{country}" / "recs.csv", partition_by="country", header=True, sep=";"
    )

    # Spark's escaping of a value in a path: / is %2F, a null has its name.
    values = {
        "FR": "country = 'FR'",
        "a%2Fb": "country = 'a/b'",
        "__HIVE_DEFAULT_PARTITION__": "country IS NULL",
    }
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(values)
    for number, (directory, condition) in enumerate(values.items()):
        alone = tmp_path / f"alone-{number}.csv"
        sparkmerge.write_single(df.where(condition).drop("country"), alone, header=True, sep=";")
        assert (tmp_path / "out" / directory / "recs.csv").read_bytes() == alone.read_bytes()
    lines = (tmp_path / "out" / "FR" / "recs.csv").read_text().splitlines()
    assert lines[0] == "id;name" and [int(line.split(";")[0]) for line in lines[1:]] == list(
        range(0, 3000, 3)
    )
    assert isinstance(results, sparkmerge.MergeResults) and len(results) == 3
    assert [Path(r.target).parent.name for r in results] == sorted(values)


def test_numbered_files_of_at_most_n_rows_per_value(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.range(0, 2000, 1, 5).selectExpr("id", "id % 2 AS k")
    results = sparkmerge.write_single(
        df, tmp_path / "k={k}" / "part-{n}.csv", partition_by=["k"], max_records_per_file=300, header=True
    )

    for k in (0, 1):
        files = sorted((tmp_path / f"k={k}").iterdir())
        assert [f.name for f in files] == [f"part-{n:05d}.csv" for n in range(1, 5)]
        rows = [f.read_text().splitlines() for f in files]
        assert all(r[0] == "id" for r in rows) and [len(r) - 1 for r in rows] == [300, 300, 300, 100]
        assert [int(line) for r in rows for line in r[1:]] == list(range(k, 2000, 2))
    assert len(results) == 8 and sum(r.bytes for r in results) == results.bytes


def test_write_single_many_files_refuses_what_does_not_fit(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.range(10).selectExpr("id", "id % 2 AS k")
    with pytest.raises(sparkmerge.InvalidOptionError, match="names no partition column"):
        sparkmerge.write_single(df, tmp_path / "out.csv", partition_by="k")
    with pytest.raises(sparkmerge.InvalidOptionError, match=r"maxRecordsPerFile must be .* not '0'"):
        sparkmerge.write_single(df, tmp_path / "{n}.csv", max_records_per_file=0)
    with pytest.raises(TypeError, match="partition_by"):
        sparkmerge.write_single(df, tmp_path / "{k}.csv", partition_by=["k", 1])
    assert list(tmp_path.iterdir()) == []
