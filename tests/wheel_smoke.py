"""The built wheel as a user gets it: `make test-wheel` installs it with one pyspark into a fresh virtual
environment and runs this file with plain ``python`` (not pytest, not the checkout's package).

It checks that the wheel carries a jar for each Spark line, that ``configure`` picks the one of the installed
pyspark, that ``write_single`` writes one CSV with the exact bytes expected, and that ``python -m sparkmerge``
merges in a JVM of its own, with the log configuration the wheel carries.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pyspark
from pyspark.sql import SparkSession

import sparkmerge

EXPECTED = b"id,square\n" + b"".join(f"{i},{i * i}\n".encode() for i in range(9))


def main() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(sparkmerge.__file__).resolve().parent
    assert package.parent == site, f"sparkmerge comes from {package}, not from the wheel in {site}"
    jars = sorted(p.name for p in (package / "jars").iterdir())
    assert jars == [f"sparkmerge_{line}-{sparkmerge.__version__}.jar" for line in ("2.12", "2.13")], jars

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("sparkmerge-wheel-smoke")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    spark = sparkmerge.configure(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        line = str(spark._jvm.scala.util.Properties.versionNumberString())
        assert spark.sparkContext.getConf().get("spark.jars") == sparkmerge.jar_path()
        assert Path(sparkmerge.jar_path()).name.startswith(f"sparkmerge_{line.rsplit('.', 1)[0]}-")
        with tempfile.TemporaryDirectory() as work:
            target = Path(work) / "squares.csv"
            df = spark.range(0, 9, numPartitions=3).selectExpr("id", "id * id AS square")

            result = sparkmerge.write_single(df, target, header=True)

            assert target.read_bytes() == EXPECTED, target.read_bytes()
            assert (result.files, result.bytes) == (3, len(EXPECTED)), result
            assert sorted(p.name for p in Path(work).iterdir()) == ["squares.csv"]
    finally:
        spark.stop()
    with tempfile.TemporaryDirectory() as work:
        check_command_line(Path(work))
    print(
        f"wheel smoke: sparkmerge {sparkmerge.__version__} on pyspark {pyspark.__version__} (Scala {line}): ok"
    )


def check_command_line(work: Path) -> None:
    parts = work / "parts"
    parts.mkdir()
    for i in range(3):
        (parts / f"part-{i:05d}.csv").write_text(f"{i}\n")
    target = work / "merged.csv"

    ran = subprocess.run(
        [sys.executable, "-m", "sparkmerge", str(parts), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"merged 3 files into file:{target}: "), ran.stdout
    assert target.read_text() == "0\n1\n2\n"
    # INFO from the engine reaches stderr only through the wheel's log4j2-cli.properties.
    assert " INFO sparkmerge: merged 3 files" in ran.stderr, ran.stderr


if __name__ == "__main__":
    main()
