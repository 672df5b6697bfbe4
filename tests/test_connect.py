"""A Spark Connect session has no JVM driver in this process: sparkmerge says so before touching one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyspark
import pytest
from conftest import run_python

CONNECT_CLIENT = ("pandas", "pyarrow", "grpc", "grpc_status", "google.rpc")

WITH_CONNECT = """
import sys
from pyspark.sql import SparkSession
import sparkmerge

spark = sparkmerge.configure(SparkSession.builder.remote("local[1]")).getOrCreate()
print(type(spark).__module__)
try:
    sparkmerge.write_single(spark.range(3), sys.argv[2])
except sparkmerge.SparkConnectError as error:
    print("write_single:", error)
try:
    sparkmerge.merge(spark, sys.argv[1], sys.argv[2])
except sparkmerge.SparkConnectError as error:
    print("merge:", error)
spark.stop()
"""


def _missing_client() -> list[str]:
    missing = []
    for module in CONNECT_CLIENT:
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(module)
    return missing


@pytest.mark.skipif(bool(_missing_client()), reason=f"no Spark Connect client: {_missing_client()}")
@pytest.mark.skipif(
    pyspark.__version__.startswith("3."),
    reason="pyspark 3.5 ships no Spark Connect server: a local one needs spark-connect_2.12 fetched with "
    "--packages; the refusal (which does not depend on the Spark version) is tested on Spark 4",
)
def test_a_spark_connect_session_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("1\n")

    ran = run_python("-c", WITH_CONNECT, str(source), str(tmp_path / "out.csv"), cwd=tmp_path)

    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == "pyspark.sql.connect.session"
    for line, call in zip(lines[1:], ("write_single", "merge")):
        assert line.startswith(f"{call}: ")
        assert "Spark Connect" in line and "classic" in line and "Databricks" in line
    assert len(lines) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts"]
