"""Options are checked as Spark checks them, before any job runs, and refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot
from pyspark.sql import SparkSession

import sparkmerge


@pytest.mark.parametrize("header", ["yes", 1, "1", " true"])
def test_a_header_flag_spark_would_refuse_is_refused(
    spark: SparkSession, tmp_path: Path, header: object
) -> None:
    with pytest.raises(sparkmerge.InvalidOptionError, match="header must be true or false"):
        sparkmerge.write_single(spark.range(3), tmp_path / "out.csv", header=header)
    assert snapshot(tmp_path) == {}


def test_a_header_flag_in_any_case_is_taken(spark: SparkSession, tmp_path: Path) -> None:
    sparkmerge.write_single(spark.range(2), tmp_path / "out.csv", header="TRUE")
    assert (tmp_path / "out.csv").read_text() == "id\n0\n1\n"


def test_a_codec_spark_does_not_know_is_refused_before_the_job(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(sparkmerge.InvalidOptionError, match="no such codec"):
        sparkmerge.write_single(spark.range(3), tmp_path / "out.csv.zst", compression="zstd")
    assert snapshot(tmp_path) == {}


def test_merge_options_it_does_not_read_are_refused(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "parts"
    spark.range(3).write.csv(str(source), header=True)
    before = snapshot(tmp_path)
    with pytest.raises(sparkmerge.InvalidOptionError, match="multiLine"):
        sparkmerge.merge(spark, source, tmp_path / "out.csv", header=True, multiLine=True)
    with pytest.raises(sparkmerge.InvalidOptionError, match="add or refuse"):
        sparkmerge.merge(spark, source, tmp_path / "out.csv", missing_newline="maybe")
    assert snapshot(tmp_path) == before


def test_a_part_without_a_final_line_break(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("a\nb")  # from a tool that does not end its last line
    (source / "part-00001.csv").write_text("c\n")

    result = sparkmerge.merge(spark, source, tmp_path / "out.csv")
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="part-00000.csv"):
        sparkmerge.merge(spark, source, tmp_path / "refused.csv", missing_newline="refuse")

    assert (tmp_path / "out.csv").read_text() == "a\nb\nc\n"
    assert "line break added" in result.reason
    assert not (tmp_path / "refused.csv").exists()


def test_a_message_is_cut_at_a_line_break_only(spark: SparkSession, tmp_path: Path) -> None:
    # A Unicode line separator the message quotes is part of its line, not the end of it.
    with pytest.raises(sparkmerge.InvalidOptionError) as refused:
        sparkmerge.merge(spark, tmp_path / "nowhere", tmp_path / "out.csv", lineSep="\u2028x")
    assert str(refused.value).startswith("lineSep '\u2028x' for the merge into ")
    assert str(refused.value).endswith("separators, quotes and escapes only")
