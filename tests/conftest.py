"""One local SparkSession with the built engine jar, shared by every test, and the checks the tests share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Mapping

import pytest
from pyspark.sql import SparkSession

import sparkmerge

ROOT = Path(__file__).resolve().parent.parent
# dev/mini_hdfs.py, the mini HDFS that tests/test_hdfs.py and the benchmark share.
sys.path.insert(0, str(ROOT / "dev"))


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    try:
        jar = sparkmerge.jar_path()
    except sparkmerge.JarNotLoadedError as missing:
        pytest.exit(f"the engine jar is not built: {missing}", returncode=3)
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("sparkmerge-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
    )
    session = sparkmerge.configure(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    assert jar in session.sparkContext.getConf().get("spark.jars", "")
    yield session
    session.stop()


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under root, with the files' bytes: compare before and after to see that
    nothing changed (directories map to None)."""
    found: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            found[os.path.relpath(os.path.join(dirpath, name), root)] = None
        for name in filenames:
            path = os.path.join(dirpath, name)
            found[os.path.relpath(path, root)] = Path(path).read_bytes()
    return found


def data_parts(directory: Path) -> list[Path]:
    """The data files Spark wrote in a directory, in task order (Spark pads task numbers to 5 digits)."""
    return sorted(p for p in directory.iterdir() if p.name.startswith("part-") and p.is_file())


def python_env(**extra: str) -> dict[str, str]:
    """This process's environment without Spark's settings (PYSPARK_*, SPARK_*), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSPARK_", "SPARK_"))}
    return {**env, **extra}


def run_python(
    *args: str, cwd: Path, timeout: float = 180, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh interpreter of this venv (so with a JVM of its own), and what it printed;
    ``env`` by default :func:`python_env`."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=dict(env) if env is not None else python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
