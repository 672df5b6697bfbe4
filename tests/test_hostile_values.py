"""Values, names and leftovers a hostile (or unlucky) user brings to the many-files path, through the Python API,
the command line and Spark Connect: every row lands in its file or the call fails, and nothing that is not
sparkmerge's is touched."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterator

import pyspark
import pytest
from conftest import run_python
from pyspark.sql import SparkSession

import sparkmerge

#: A pid no process has (above the kernel's largest), for leftovers of a merge that died.
DEAD_PID = 4194304 + 17


def test_dot_values_stay_in_their_folder(spark: SparkSession, tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"mine\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.csv").write_bytes(b"also mine\n")
    df = spark.createDataFrame([(0, ".."), (1, "."), (2, "ok")], "id INT, v STRING")

    results = sparkmerge.write_single(
        df, tmp_path / "out" / "{v}" / "x.csv", partition_by="v", mode="overwrite"
    )

    assert (tmp_path / "x.csv").read_bytes() == b"mine\n"
    assert (tmp_path / "out" / "x.csv").read_bytes() == b"also mine\n"
    assert (tmp_path / "out" / "%2E." / "x.csv").read_bytes() == b"0\n"
    assert (tmp_path / "out" / "%2E" / "x.csv").read_bytes() == b"1\n"
    assert (tmp_path / "out" / "ok" / "x.csv").read_bytes() == b"2\n"
    assert len(results) == 3


def test_the_command_line_keeps_a_dot_dot_partition_below_its_folder(tmp_path: Path) -> None:
    (tmp_path / "top.csv").write_bytes(b"kept\n")
    (tmp_path / "src" / "v=..").mkdir(parents=True)
    (tmp_path / "src" / "v=.." / "part-00000.csv").write_bytes(b"dots\n")
    work = tmp_path / "work"
    work.mkdir()

    ran = run_python("-m", "sparkmerge", str(tmp_path / "src"), "deep/{v}/{v}/y.csv", cwd=work)

    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "top.csv").read_bytes() == b"kept\n"
    assert (work / "deep" / "%2E." / "%2E." / "y.csv").read_bytes() == b"dots\n"


def test_values_that_give_one_file_are_refused(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "src"
    for a in ("p", "q"):
        (source / f"a={a}" / "b=x").mkdir(parents=True)
        (source / f"a={a}" / "b=x" / "part-00000.csv").write_bytes(a.encode() + b"\n")
    with pytest.raises(sparkmerge.InvalidOptionError, match="name each"):
        sparkmerge.merge(spark, source, tmp_path / "out" / "{b}.csv", overwrite=True)
    assert not (tmp_path / "out").exists()


def test_a_crc_value_and_an_underscore_column_keep_their_rows(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.createDataFrame([(0, "x.crc"), (1, "y")], "id INT, _v STRING")

    sparkmerge.write_single(df, tmp_path / "w" / "{_v}.csv", partition_by="_v")
    assert (tmp_path / "w" / "x.crc.csv").read_bytes() == b"0\n"
    assert (tmp_path / "w" / "y.csv").read_bytes() == b"1\n"

    df.write.partitionBy("_v").csv(str(tmp_path / "spark"))
    results = sparkmerge.merge(spark, tmp_path / "spark", tmp_path / "m" / "{_v}.csv")
    assert (tmp_path / "m" / "x.crc.csv").read_bytes() == b"0\n"
    assert (tmp_path / "m" / "y.csv").read_bytes() == b"1\n"
    assert len(results) == 2


def test_a_column_named_like_the_writers_own_keeps_its_values(spark: SparkSession, tmp_path: Path) -> None:
    df = spark.createDataFrame([(1, "a", "r1")], "id INT, v STRING, __sparkmerge_row STRING")
    sparkmerge.write_single(df, tmp_path / "{v}.csv", partition_by="v", header=True)
    assert (tmp_path / "a.csv").read_bytes() == b"id,__sparkmerge_row\n1,r1\n"


def test_utf16_with_its_byte_order_marks_is_refused_by_the_writer_and_merged_with_one(
    spark: SparkSession, tmp_path: Path
) -> None:
    df = spark.range(0, 10, 1, 2).toDF("id")
    with pytest.raises(sparkmerge.InvalidOptionError, match="byte-order mark"):
        sparkmerge.write_single(df, tmp_path / "one.csv", encoding="UTF-16", header=True)
    assert not (tmp_path / "one.csv").exists()
    df.write.csv(str(tmp_path / "marked"), encoding="UTF-16")
    sparkmerge.merge(spark, tmp_path / "marked", tmp_path / "m.csv", encoding="UTF-16")
    # Java's UTF-16 is big-endian, with its mark once, first.
    assert (tmp_path / "m.csv").read_bytes() == b"\xfe\xff" + "".join(f"{i}\n" for i in range(10)).encode(
        "utf-16-be"
    )
    sparkmerge.write_single(df, tmp_path / "le.csv", encoding="UTF-16LE")
    assert (tmp_path / "le.csv").read_bytes().decode("utf-16-le") == "".join(f"{i}\n" for i in range(10))


def stamp() -> str:
    """The middle of a hidden name of a merge on another host that started 25 hours ago: stale by its age."""
    return f"{int(time.time() * 1000) - 25 * 3600 * 1000}-{DEAD_PID}-0badc0de-x1"


def test_clean_removes_only_what_is_provably_ours(tmp_path: Path) -> None:
    keep = {
        f".notes.sparkmerge-{stamp()}.bak": b"notes",
        ".notes.sparkmerge-0-1-00000000-x.tmp": b"notes",
        f".photos.sparkmerge-{stamp()}.parts/photo.jpg": b"a photo",
        f".d.sparkmerge-{stamp()}.tmp/inside": b"a directory, not a file",
    }
    for name, data in keep.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    ours = [f".top.csv.sparkmerge-{stamp()}.tmp", f"out/V00/.x.csv.sparkmerge-{stamp()}.tmp"]
    for name in ours:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"half a file")
    (tmp_path / "out" / f".v.sparkmerge-{stamp()}.parts" / "data").mkdir(parents=True)

    templated = run_python(
        "-m", "sparkmerge", "--clean", str(tmp_path / "out" / "{v}" / "x.csv"), cwd=tmp_path
    )
    assert templated.returncode == 0, templated.stderr
    assert len(templated.stdout.splitlines()) == 2, templated.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["V00"]
    assert list((tmp_path / "out" / "V00").iterdir()) == []

    cleaned = run_python("-m", "sparkmerge", "--clean", str(tmp_path), cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.splitlines() == [f"removed file:{tmp_path / ours[0]}"]
    for name, data in keep.items():
        assert (tmp_path / name).read_bytes() == data


@pytest.fixture
def long_name() -> Iterator[str]:
    yield "é" * 120 + ".csv"  # 244 bytes: the hidden names beside it would be over 255


def test_a_long_target_name_is_written(spark: SparkSession, tmp_path: Path, long_name: str) -> None:
    df = spark.createDataFrame([(0, "a"), (1, "b")], "id INT, v STRING")
    results = sparkmerge.write_single(df, tmp_path / ("{v}" + long_name), partition_by="v")
    assert len(results) == 2
    assert (tmp_path / ("a" + long_name)).read_bytes() == b"0\n"
    assert [name for name in os.listdir(tmp_path) if ".sparkmerge-" in name] == []


@pytest.mark.skipif(pyspark.__version__.startswith("3."), reason="the many-files race runs once, on Spark 4")
def test_ignore_never_raises_when_two_writers_race(spark: SparkSession, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def write(writer: str) -> int:
        df = spark.range(0, 200, 1, 4).selectExpr("id % 20 AS v", f"concat('{writer}', id) AS row")
        return len(sparkmerge.write_single(df, tmp_path / "{v}.csv", partition_by="v", mode="ignore"))

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(write, ["a", "b"])) == [20, 20]
    for v in range(20):
        assert len({line[:1] for line in (tmp_path / f"{v}.csv").read_text().splitlines()}) == 1
