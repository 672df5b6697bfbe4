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
