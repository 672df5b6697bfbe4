"""Finding the bundled jar, adding it to a builder, and the one clear error when a session lacks it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, run_python
from pyspark.sql import SparkSession

import sparkmerge
from sparkmerge._jar import scala_binary_version

#: The Scala line of the installed pyspark, and the other one: the package carries a jar for each.
LINE = scala_binary_version()
OTHER_LINE = {"2.12": "2.13", "2.13": "2.12"}[LINE]


def test_jar_path_is_the_bundled_jar() -> None:
    jar = Path(sparkmerge.jar_path())
    assert jar.is_absolute() and jar.is_file()
    assert jar.parent == Path(sparkmerge.__file__).parent / "jars"
    assert jar.name == f"sparkmerge_{LINE}-{sparkmerge.__version__}.jar"
    assert sparkmerge.jar_path(LINE) == str(jar)


def test_the_package_carries_a_jar_for_each_spark() -> None:
    names = sorted(Path(sparkmerge.jar_path(line)).name for line in ("2.12", "2.13"))
    assert names == [f"sparkmerge_{line}-{sparkmerge.__version__}.jar" for line in ("2.12", "2.13")]


def test_jar_path_for_a_scala_line_without_a_jar() -> None:
    with pytest.raises(sparkmerge.JarNotLoadedError, match=r"sparkmerge_2\.11-\*\.jar.*make build"):
        sparkmerge.jar_path("2.11")


def test_configure_appends_to_the_users_jars_once() -> None:
    builder = SparkSession.Builder().config("spark.jars", "/opt/a.jar,/opt/b.jar")

    assert sparkmerge.configure(builder) is builder
    sparkmerge.configure(builder)

    assert builder._options["spark.jars"] == f"/opt/a.jar,/opt/b.jar,{sparkmerge.jar_path()}"


def test_configure_on_a_builder_without_jars() -> None:
    builder = sparkmerge.configure(SparkSession.Builder())
    assert builder._options["spark.jars"] == sparkmerge.jar_path()


def test_configure_names_the_procedures_catalog_on_spark_4_and_keeps_one_set() -> None:
    builder = sparkmerge.configure(SparkSession.Builder())
    expected = "sparkmerge.sql.Procedures" if LINE == "2.13" else None  # Spark 3.5 has no procedures
    assert builder._options.get("spark.sql.catalog.sparkmerge") == expected
    mine = SparkSession.Builder().config("spark.sql.catalog.sparkmerge", "my.Catalog")
    assert sparkmerge.configure(mine)._options["spark.sql.catalog.sparkmerge"] == "my.Catalog"


def test_configure_takes_only_a_builder() -> None:
    with pytest.raises(TypeError, match="SparkSession.Builder"):
        sparkmerge.configure("local[2]")  # type: ignore[arg-type]


def test_the_session_runs_the_engine_built_for_its_line(spark: SparkSession) -> None:
    from sparkmerge import _jvm
    from sparkmerge._jar import _built_for

    api = _jvm.python_api(spark)
    built = _built_for(spark._jvm, api.getClass())
    assert built["version"] == sparkmerge.__version__
    assert built["scala.binary.version"] == LINE
    assert spark._jvm.scala.util.Properties.versionNumberString().startswith(f"{LINE}.")


# A plain session, with the jar given as the third argument in spark.jars if there is one: write_single and
# merge both try it, and print or raise what they get.
SESSION_THEN_MERGE = """
import sys
from pyspark.sql import SparkSession
import sparkmerge

builder = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
           .config("spark.ui.showConsoleProgress", "false"))
if len(sys.argv) > 3:
    builder = builder.config("spark.jars", sys.argv[3])
spark = builder.getOrCreate()
try:
    sparkmerge.write_single(spark.range(3), sys.argv[2])
except sparkmerge.JarNotLoadedError as error:
    print("write_single:", error)
sparkmerge.merge(spark, sys.argv[1], sys.argv[2])
"""


def test_a_session_without_the_jar_raises_one_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("1\n")

    ran = run_python("-c", SESSION_THEN_MERGE, str(source), str(tmp_path / "out.csv"), cwd=tmp_path)

    assert ran.returncode == 1, ran.stderr
    last = ran.stderr.strip().splitlines()[-1]
    assert last.startswith("sparkmerge.errors.JarNotLoadedError: the sparkmerge jar is not loaded")
    for hint in (
        "sparkmerge.configure(SparkSession.builder)",
        f"--jars {sparkmerge.jar_path()}",
        "spark.jars",
    ):
        assert hint in last
    # Raised from None: one traceback, no py4j error chained before it.
    assert "Py4JJavaError" not in ran.stderr and "During handling" not in ran.stderr
    assert ran.stdout.startswith("write_single: the sparkmerge jar is not loaded")
    assert sorted(os.listdir(tmp_path)) == ["parts"]


def test_the_package_imports_without_starting_spark() -> None:
    ran = run_python("-c", "import sparkmerge, sys; print('pyspark.sql' in sys.modules)", cwd=ROOT)
    assert ran.stdout.strip() == "False", ran.stderr


def test_a_jar_of_the_other_scala_line_raises_one_clear_error(tmp_path: Path) -> None:
    # The jar for the other Spark, put on the session by hand: its classes load, and without the check the
    # merge dies deep inside with NoClassDefFoundError (or takes the py4j connection down with it).
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("1\n")
    wrong = sparkmerge.jar_path(OTHER_LINE)

    ran = run_python("-c", SESSION_THEN_MERGE, str(source), str(tmp_path / "out.csv"), wrong, cwd=tmp_path)

    assert ran.returncode == 1, ran.stderr
    last = ran.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"sparkmerge.errors.JarNotLoadedError: the sparkmerge jar in this Spark session ({wrong}) "
        f"is built for Scala {OTHER_LINE}"
    )
    for hint in (
        f"on Scala {LINE}.",
        f"use sparkmerge_{LINE}-{sparkmerge.__version__}.jar",
        "sparkmerge.configure(SparkSession.builder)",
        f"--jars {sparkmerge.jar_path()}",
    ):
        assert hint in last
    assert "Py4J" not in ran.stderr and "NoClassDefFoundError" not in ran.stderr
    assert "During handling" not in ran.stderr
    assert ran.stdout.startswith("write_single: the sparkmerge jar in this Spark session")
    assert sorted(os.listdir(tmp_path)) == ["parts"]
