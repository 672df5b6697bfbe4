"""python -m sparkmerge SOURCE TARGET: the merge from a shell."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_python
from pyspark.sql import SparkSession


def test_cli_merges_a_directory_given_by_relative_paths(spark: SparkSession, tmp_path: Path) -> None:
    # Relative paths mean what they mean to Spark: relative to the working directory of the driver.
    spark.range(0, 500, 1, 5).write.csv(str(tmp_path / "job output"), header=True)

    ran = run_python(
        "-m",
        "sparkmerge",
        "job output",
        "merged ü.csv",
        "--header",
        "--delete-source",
        "--master",
        "local[1]",
        cwd=tmp_path,
    )

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"merged 5 files into file:{tmp_path / 'merged ü.csv'}: ")
    assert (tmp_path / "merged ü.csv").read_text().splitlines() == ["id"] + [str(i) for i in range(500)]
    assert os.listdir(tmp_path) == ["merged ü.csv"]


def test_cli_error_is_one_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep\n")
    source = tmp_path / "missing"

    ran = run_python("-m", "sparkmerge", str(source), str(target), "--master", "local[1]", cwd=tmp_path)

    assert ran.returncode == 1
    error_lines = [
        line for line in ran.stderr.splitlines() if line.startswith("python -m sparkmerge: error:")
    ]
    assert len(error_lines) == 1
    assert str(source) in error_lines[0] or str(target) in error_lines[0]
    assert "Traceback" not in ran.stderr
    assert ran.stdout == ""
    assert target.read_text() == "keep\n"


def test_cli_usage_error(tmp_path: Path) -> None:
    ran = run_python("-m", "sparkmerge", "only-one-argument", cwd=tmp_path)
    assert ran.returncode == 2
    assert "usage: python -m sparkmerge" in ran.stderr
