"""Spark Connect: write_single, the data source, merge and the SQL procedure from a client with no JVM of its
own, against a real Connect server that the tests start on 127.0.0.1 with the jar (dev/connect_server.py), on
Spark 4 and 3.5. Each file is compared byte for byte with what the classic session writes."""

from __future__ import annotations

from pathlib import Path
import pyspark
import pytest
from conftest import python_env, remote_session, run_python
from pyspark.sql import DataFrame, SparkSession

import sparkmerge

SPARK_4 = pyspark.__version__.startswith("4.")
spark_4_only = pytest.mark.skipif(not SPARK_4, reason="SQL procedures came with Spark 4")


def recommendations(spark: SparkSession) -> DataFrame:
    """The same rows on either kind of session: sorted, a quote and a separator among them."""
    return spark.range(0, 20_000, 1, 6).selectExpr(
        "id AS user_id", "id % 97 AS product_id", "IF(id = 5, 'say \"hi\"; bye', concat('p', id)) AS note"
    )


def test_import_needs_no_py4j_and_no_jvm(tmp_path: Path) -> None:
    # py4j made unimportable: a client installed as pyspark-client has none.
    ran = run_python(
        "-c",
        "import sys; sys.modules['py4j'] = None; import sparkmerge; "
        "print(sorted(m for m, v in sys.modules.items() if v and m.startswith(('py4j', 'pyspark'))))",
        cwd=tmp_path,
        env=python_env(),
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def test_write_single_on_connect_is_the_classic_file(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    options = {"header": True, "sep": ";"}
    classic = sparkmerge.write_single(recommendations(spark), tmp_path / "classic.csv", **options)
    remote = sparkmerge.write_single(recommendations(connect), tmp_path / "connect.csv", **options)

    assert (tmp_path / "connect.csv").read_bytes() == (tmp_path / "classic.csv").read_bytes()
    assert (tmp_path / "connect.csv").read_text().splitlines()[6] == '5;5;"say \\"hi\\"; bye"'
    assert isinstance(remote, sparkmerge.MergeResult)
    assert (remote.files, remote.bytes, remote.strategy) == (classic.files, classic.bytes, classic.strategy)
    assert remote.target.endswith("connect.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classic.csv", "connect.csv"]


def test_modes_on_connect(connect: SparkSession, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    df = recommendations(connect)

    assert sparkmerge.write_single(df, target, mode="ignore").skipped
    with pytest.raises(sparkmerge.TargetExistsError, match="out.csv"):
        sparkmerge.write_single(df, target)
    with pytest.raises(sparkmerge.InvalidOptionError, match="mode append cannot add to the single file"):
        sparkmerge.write_single(df, target, mode="append")
    with pytest.raises(sparkmerge.InvalidOptionError, match="mode must be one of"):
        sparkmerge.write_single(df, target, mode="sometimes")
    assert target.read_bytes() == b"old\n"

    result = sparkmerge.write_single(df, target, mode="overwrite", compression="gzip")
    assert result.bytes == target.stat().st_size
    assert target.read_bytes()[:2] == b"\x1f\x8b"


def test_the_data_source_from_python_is_write_single(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    sparkmerge.write_single(recommendations(spark), tmp_path / "classic.json", "json")
    (
        recommendations(connect)
        .write.format("sparkmerge")
        .option("format", "json")
        .mode("overwrite")
        .save(str(tmp_path / "source.json"))
    )

    assert (tmp_path / "source.json").read_bytes() == (tmp_path / "classic.json").read_bytes()


@spark_4_only
def test_merge_and_the_procedure_on_connect_are_the_classic_merge(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    recommendations(spark).write.csv(str(tmp_path / "parts"), header=True, sep="|")
    classic = sparkmerge.merge(spark, tmp_path / "parts", tmp_path / "classic.csv", header=True, sep="|")
    remote = sparkmerge.merge(connect, tmp_path / "parts", tmp_path / "connect.csv", header=True, sep="|")
    rows = connect.sql(
        f"CALL sparkmerge.system.merge(source => '{tmp_path / 'parts'}', target => '{tmp_path / 'sql.csv'}', "
        "header => true, options => map('sep', '|'))"
    ).collect()

    expected = (tmp_path / "classic.csv").read_bytes()
    assert (tmp_path / "connect.csv").read_bytes() == expected
    assert (tmp_path / "sql.csv").read_bytes() == expected
    assert expected.count(b"user_id|product_id|note\n") == 1
    assert (remote.files, remote.bytes, remote.strategy) == (classic.files, classic.bytes, classic.strategy)
    assert len(rows) == 1 and rows[0]["bytes"] == len(expected) and rows[0]["files"] == classic.files


@spark_4_only
def test_one_file_per_partition_value_through_the_procedure(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    recommendations(spark).selectExpr("*", "product_id % 3 AS k").write.partitionBy("k").csv(
        str(tmp_path / "src")
    )
    classic = sparkmerge.merge(spark, tmp_path / "src", tmp_path / "classic" / "{k}.csv")
    remote = sparkmerge.merge(connect, tmp_path / "src", tmp_path / "connect" / "{k}.csv")

    assert isinstance(remote, sparkmerge.MergeResults) and len(remote) == len(classic) == 3
    for name in ("0.csv", "1.csv", "2.csv"):
        assert (tmp_path / "connect" / name).read_bytes() == (tmp_path / "classic" / name).read_bytes()
    assert [r.bytes for r in remote] == [r.bytes for r in classic]


def test_many_files_per_write_on_connect_are_the_classic_files(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    def write(session: SparkSession, name: str) -> sparkmerge.MergeResult:
        df = recommendations(session).selectExpr("*", "user_id % 3 AS k")
        target = tmp_path / name / "{k}-{n}.csv"
        return sparkmerge.write_single(df, target, partition_by="k", max_records_per_file=4000, header=True)

    classic = write(spark, "classic")
    remote = write(connect, "connect")

    names = sorted(p.name for p in (tmp_path / "classic").iterdir())
    assert names == [f"{k}-{n:05d}.csv" for k in range(3) for n in (1, 2)]
    assert sorted(p.name for p in (tmp_path / "connect").iterdir()) == names
    for name in names:
        assert (tmp_path / "connect" / name).read_bytes() == (tmp_path / "classic" / name).read_bytes()
    assert isinstance(remote, sparkmerge.MergeResults) and [r.bytes for r in remote] == [
        r.bytes for r in classic
    ]


def test_hostile_values_on_connect_land_as_on_a_classic_session(
    spark: SparkSession, connect: SparkSession, tmp_path: Path
) -> None:
    (tmp_path / "x.csv").write_bytes(b"the user's\n")
    for session, name in ((spark, "classic"), (connect, "connect")):
        df = session.createDataFrame([(0, ".."), (1, "x.crc"), (2, ".")], "id INT, _v STRING")
        results = sparkmerge.write_single(df, tmp_path / name / "{_v}" / "x.csv", partition_by="_v")
        assert len(results) == 3
    names = sorted(str(p.relative_to(tmp_path / "classic")) for p in (tmp_path / "classic").rglob("*.csv"))
    assert names == ["%2E./x.csv", "%2E/x.csv", "x.crc/x.csv"]
    for each in names:
        assert (tmp_path / "connect" / each).read_bytes() == (tmp_path / "classic" / each).read_bytes()
    assert (tmp_path / "x.csv").read_bytes() == b"the user's\n"


def test_errors_on_connect_are_the_same_classes(connect: SparkSession, tmp_path: Path) -> None:
    (tmp_path / "taken.csv").write_bytes(b"old\n")

    with pytest.raises(sparkmerge.UnsupportedFormatError, match="one delta file"):
        sparkmerge.write_single(connect.range(3), tmp_path / "out.delta", "delta")
    with pytest.raises(sparkmerge.TargetExistsError) as exists:
        sparkmerge.write_single(connect.range(3), tmp_path / "taken.csv")
    assert "\n" not in str(exists.value) and "taken.csv" in str(exists.value)
    with pytest.raises(sparkmerge.InvalidOptionError, match="header must be true or false"):
        sparkmerge.write_single(connect.range(3), tmp_path / "out.csv", header="yes")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.csv"]
    assert (tmp_path / "taken.csv").read_bytes() == b"old\n"


def test_save_as_table_on_connect_is_refused_and_registers_nothing(
    connect: SparkSession, tmp_path: Path
) -> None:
    # A sparkmerge table would be one file no reader can read: refused before the write, the fix in one line.
    with pytest.raises(
        Exception, match="CREATE TABLE spark_catalog.default.one_file USING csv LOCATION"
    ) as refused:
        connect.range(3).write.format("sparkmerge").option("path", str(tmp_path / "t")).saveAsTable(
            "one_file"
        )
    assert "InvalidOptionException" in str(refused.value) or "one file" in str(refused.value)
    assert not connect.catalog.tableExists("one_file")
    assert list(tmp_path.iterdir()) == []


@spark_4_only
def test_merge_errors_on_connect_are_the_same_classes(connect: SparkSession, tmp_path: Path) -> None:
    (tmp_path / "taken.csv").write_bytes(b"old\n")
    # A part cut short: ORC's tail is not where its last byte says.
    (tmp_path / "orc").mkdir()
    (tmp_path / "orc" / "part-00000-cut.orc").write_bytes(b"ORC" + bytes(40))

    with pytest.raises(sparkmerge.SourceNotFoundError, match="nowhere"):
        sparkmerge.merge(connect, tmp_path / "nowhere", tmp_path / "out.csv")
    with pytest.raises(sparkmerge.UnsupportedFormatError, match="not a whole ORC file"):
        sparkmerge.merge(connect, tmp_path / "orc", tmp_path / "out.csv")
    with pytest.raises(sparkmerge.TargetExistsError) as exists:
        sparkmerge.merge(connect, tmp_path / "orc", tmp_path / "taken.csv")
    assert "\n" not in str(exists.value) and "taken.csv" in str(exists.value)
    assert (tmp_path / "taken.csv").read_bytes() == b"old\n"
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.skipif(SPARK_4, reason="Spark 4 has procedures: merge works there")
def test_merge_on_a_spark_3_5_connect_session_says_what_works(connect: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(sparkmerge.SparkConnectError, match="Spark 4.0") as refused:
        sparkmerge.merge(connect, tmp_path, tmp_path / "out.csv")
    assert "write_single" in str(refused.value) and "classic" in str(refused.value)


def test_a_server_without_the_jar_is_named(tmp_path: Path) -> None:
    import connect_server

    with connect_server.running(jar=False) as address:
        session = remote_session(address)
        try:
            with pytest.raises(sparkmerge.JarNotLoadedError, match="--jars"):
                sparkmerge.write_single(session.range(3), tmp_path / "out.csv")
            if SPARK_4:
                with pytest.raises(sparkmerge.JarNotLoadedError, match="--jars"):
                    sparkmerge.merge(session, tmp_path, tmp_path / "out.csv")
        finally:
            session.stop()
    assert list(tmp_path.iterdir()) == []
