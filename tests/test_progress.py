"""The progress bar of a long merge, drawn from the JVM's counters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.sql import SparkSession

import sparkmerge


def test_merge_draws_a_bar_that_ends_full(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "parts"
    spark.range(0, 200_000, 1, 8).write.csv(str(source))
    result = sparkmerge.merge(spark, str(source), str(tmp_path / "out.csv"), progress=True)
    bar = capsys.readouterr().err.strip().split("\r")[-1]
    assert "100%" in bar and f"{result.files}/{result.files} files" in bar
    assert (tmp_path / "out.csv").read_text().count("\n") == 200_000


def test_write_single_with_progress_returns_the_same_result(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.range(0, 1000, 1, 4)
    result = sparkmerge.write_single(df, tmp_path / "out.csv", progress=True)
    assert result.files == 4
    assert (tmp_path / "out.csv").read_text() == "".join(f"{i}\n" for i in range(1000))


def test_an_error_under_progress_is_the_same_one_line_error(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(sparkmerge.SourceNotFoundError, match="missing"):
        sparkmerge.merge(spark, str(tmp_path / "missing"), str(tmp_path / "out.csv"), progress=True)
