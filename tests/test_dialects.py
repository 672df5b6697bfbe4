"""merge(header=True) of parts Spark wrote in another CSV dialect, and of parts a disk damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import data_parts
from pyspark.sql import SparkSession

import sparkmerge


def test_a_quote_of_the_callers_around_a_column_name_with_a_line_break(
    spark: SparkSession, tmp_path: Path
) -> None:
    source = tmp_path / "parts"
    df = spark.range(0, 60, 1, 3).selectExpr("id AS `user\nid`", "concat('n', id) AS `x\"y`")
    df.write.csv(str(source), header=True, quote="'")
    assert "'user\nid'" in data_parts(source)[0].read_text()

    sparkmerge.merge(spark, source, tmp_path / "out.csv", header=True, quote="'")

    back = spark.read.csv(str(tmp_path / "out.csv"), header=True, quote="'", multiLine=True)
    assert back.columns == ["user\nid", 'x"y']
    assert [int(row[0]) for row in back.collect()] == list(range(60))
    with pytest.raises(sparkmerge.HeaderMismatchError, match="quote"):
        sparkmerge.merge(spark, source, tmp_path / "guessed.csv", header=True)
    assert not (tmp_path / "guessed.csv").exists()


def test_a_part_that_does_not_match_its_checksum_is_refused(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "parts"
    spark.range(0, 3000, 1, 3).write.csv(str(source))
    damaged = data_parts(source)[1]
    data = bytearray(damaged.read_bytes())
    data[100] = ord("#")
    damaged.write_bytes(bytes(data))  # behind the checksum file's back

    with pytest.raises(sparkmerge.MergeFailedError, match=f"{damaged.name}.*checksum"):
        sparkmerge.merge(spark, source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()
