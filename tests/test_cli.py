"""python -m sparkmerge SOURCE TARGET: the merge from a shell, in a JVM of its own without Spark."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import python_env, run_python
from pyspark.sql import SparkSession

import sparkmerge

#: How long a test waits for the command line to start its JVM, and then to end.
WAIT_SECONDS = 60


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


def test_cli_merges_a_partitioned_directory_into_a_file_per_value(
    spark: SparkSession, tmp_path: Path
) -> None:
    spark.range(0, 600, 1, 3).selectExpr("id", "id % 2 AS k").write.partitionBy("k").csv(
        str(tmp_path / "job")
    )

    ran = run_python("-m", "sparkmerge", "job", "out/{k}.csv", "--delete-source", cwd=tmp_path)

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("merged 6 files into 2 files out/{k}.csv: ")
    for k in (0, 1):
        assert [int(line) for line in (tmp_path / "out" / f"{k}.csv").read_text().splitlines()] == list(
            range(k, 600, 2)
        )
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_cli_error_is_one_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep\n")
    source = tmp_path / "missing"

    ran = run_python("-m", "sparkmerge", str(source), str(target), cwd=tmp_path)

    assert ran.returncode == 1
    error_lines = [
        line for line in ran.stderr.splitlines() if line.startswith("python -m sparkmerge: error:")
    ]
    assert len(error_lines) == 1
    assert str(source) in error_lines[0] or str(target) in error_lines[0]
    assert "Traceback" not in ran.stderr
    assert ran.stdout == ""
    assert target.read_text() == "keep\n"


def test_cli_refuses_an_empty_path_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()

    ran = run_python("-m", "sparkmerge", "parts", "", cwd=tmp_path)

    assert ran.returncode == 1
    assert ran.stderr.splitlines()[-1].startswith("python -m sparkmerge: error: target must not be empty")
    assert "Traceback" not in ran.stderr


def test_cli_usage_error_is_one_line(tmp_path: Path) -> None:
    ran = run_python("-m", "sparkmerge", "only-one-argument", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.splitlines() == [
        "python -m sparkmerge: error: give SOURCE and TARGET, or --clean PATH; see python -m sparkmerge --help"
    ]


def test_cli_help_and_version_are_the_one_parsers_under_this_name(tmp_path: Path) -> None:
    helped = run_python("-m", "sparkmerge", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: python -m sparkmerge [options] SOURCE TARGET\n")
    assert "--missing-newline add|refuse" in helped.stdout and "--clean PATH" in helped.stdout

    versioned = run_python("-m", "sparkmerge", "--version", cwd=tmp_path)
    assert versioned.returncode == 0, versioned.stderr
    assert versioned.stdout == f"python -m sparkmerge {sparkmerge.__version__}\n"


def test_cli_json_prints_one_object(spark: SparkSession, tmp_path: Path) -> None:
    spark.range(0, 300, 1, 3).selectExpr("id", "id % 2 AS k").write.partitionBy("k").csv(
        str(tmp_path / "job")
    )

    ran = run_python("-m", "sparkmerge", "job", "out/{k}.csv", "--json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert answer["template"] == "out/{k}.csv"
    assert [r["target"] for r in answer["results"]] == [f"file:{tmp_path}/out/{k}.csv" for k in (0, 1)]
    assert [r["files"] for r in answer["results"]] == [3, 3]
    assert sum(r["bytes"] for r in answer["results"]) == sum(
        (tmp_path / "out" / f"{k}.csv").stat().st_size for k in (0, 1)
    )

    refused = run_python("-m", "sparkmerge", "job", "again/{k}.csv", "--json", "-o", "sepp=x", cwd=tmp_path)
    assert refused.returncode == 1
    error = json.loads(refused.stdout)
    assert error == {"error": "InvalidOptionError", "message": error["message"]}
    assert "unknown CSV option 'sepp'" in error["message"]
    assert not (tmp_path / "again").exists()


def test_cli_takes_a_path_that_starts_with_dashes_after_two(spark: SparkSession, tmp_path: Path) -> None:
    spark.range(0, 100, 1, 2).write.csv(str(tmp_path / "--job"))

    refused = run_python("-m", "sparkmerge", "--job", "out.csv", cwd=tmp_path)
    assert refused.returncode == 2
    assert len(refused.stderr.splitlines()) == 1 and "goes after --" in refused.stderr

    ran = run_python("-m", "sparkmerge", "--", "--job", "out.csv", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert [int(line) for line in (tmp_path / "out.csv").read_text().splitlines()] == list(range(100))


def test_cli_starts_no_spark(tmp_path: Path) -> None:
    # Settings that break any start of Spark from pyspark: a SPARK_HOME with no spark-submit, and arguments
    # spark-submit refuses. The merge needs Hadoop's FileSystem only, and never reads them.
    source = tmp_path / "parts"
    source.mkdir()
    for i in range(3):
        (source / f"part-{i:05d}-c000.csv").write_text(f"{i}\n")
    env = python_env(
        SPARK_HOME=str(tmp_path / "no-spark"), PYSPARK_SUBMIT_ARGS="--no-such-option pyspark-shell"
    )

    ran = run_python("-m", "sparkmerge", "parts", "out.csv", cwd=tmp_path, env=env)

    assert ran.returncode == 0, ran.stderr
    expected = (
        rf"merged 3 files into file:{re.escape(str(tmp_path / 'out.csv'))}: 6 B in \d+\.\d\d s \(copy\)\n"
    )
    assert re.fullmatch(expected, ran.stdout), ran.stdout
    assert (tmp_path / "out.csv").read_text() == "0\n1\n2\n"
    assert "SparkContext" not in ran.stderr and "spark-submit" not in ran.stderr


def test_cli_reports_the_engines_log_lines_on_stderr(tmp_path: Path) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("1\n")

    ran = run_python("-m", "sparkmerge", str(source), str(tmp_path / "out.csv"), cwd=tmp_path)

    assert ran.returncode == 0, ran.stderr
    # The merge's own summary at INFO; no other library's INFO, and nothing from log4j about its configuration.
    lines = ran.stderr.splitlines()
    info = [line for line in lines if " INFO " in line]
    assert len(info) == 1 and " INFO sparkmerge: merged 1 files" in info[0], ran.stderr
    assert not [line for line in lines if "log4j" in line.lower() or "StatusLogger" in line], ran.stderr


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="finds the JVM through /proc")
@pytest.mark.parametrize(
    ("signum", "to_group", "code"),
    [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143)],
    ids=["ctrl-c-in-a-terminal", "sigterm-to-python"],
)
def test_a_signal_stops_the_jvm_too(tmp_path: Path, signum: int, to_group: bool, code: int) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    (source / "part-00000.csv").write_text("1\n")
    cli = subprocess.Popen(
        [sys.executable, "-m", "sparkmerge", str(source), str(tmp_path / "out.csv")],
        cwd=tmp_path,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A process group of its own, as a shell gives a command: Ctrl-C signals the whole group.
        start_new_session=True,
    )
    try:
        jvm = _child_of(cli.pid)
        if to_group:
            os.killpg(cli.pid, signum)
        else:
            cli.send_signal(signum)
        stdout, stderr = cli.communicate(timeout=WAIT_SECONDS)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait()

    assert cli.returncode == code, stderr
    assert stderr.splitlines()[-1] == f"python -m sparkmerge: stopped by {signal.Signals(signum).name}"
    assert "Traceback" not in stderr
    assert stdout == ""
    with pytest.raises(ProcessLookupError):
        os.kill(jvm, 0)


def _child_of(pid: int) -> int:
    """The first child process of ``pid``, once it has one."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = children.read_text().split() if children.exists() else []
        if found:
            return int(found[0])
        time.sleep(0.01)
    raise AssertionError(f"process {pid} started no child in {WAIT_SECONDS} s")
