"""kill -9 at moments spread over the life of a merge and of write_single: after each, the target is the old
file or the whole new one, the sources are whole, and the next run to the same target leaves no hidden file.

A merge runs in a JVM of its own (``sparkmerge.MergeMain``), write_single in a Python process with its own
Spark; each is killed outright (SIGKILL, no shutdown hook), at fractions of the time an uninterrupted run took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pyspark
import pytest
from conftest import Hdfs, python_env
from drills import WAIT_SECONDS, digest, hidden_in, merge_jvm, wait_until_group_ended
from pyspark.sql import SparkSession

import sparkmerge

OLD = b"the old file\n"
ROUNDS = 8


def timeline(
    start: Callable[[], subprocess.Popen[bytes]], hidden: Callable[[], list[str]]
) -> tuple[float, float]:
    """When, in an uninterrupted run, its hidden file first shows (the merge is under way), and when it ends."""
    began = time.monotonic()
    run = start()
    seen = None
    while run.poll() is None and time.monotonic() - began < WAIT_SECONDS:
        if seen is None and hidden():
            seen = time.monotonic() - began
        time.sleep(0.005)
    assert run.wait(timeout=WAIT_SECONDS) == 0
    ended = time.monotonic() - began
    return (seen if seen is not None else ended), ended


def kill_at(
    run: subprocess.Popen[bytes], seconds: float, under_way_at: float, hidden: Callable[[], list[str]]
) -> None:
    """Kills the run `seconds` after its start; a moment after the merge got under way is counted from when it
    did in this run, so that starting the JVM, which varies, does not move the kill out of the merge."""
    began = time.monotonic()
    if seconds >= under_way_at:
        while not hidden() and run.poll() is None and time.monotonic() - began < WAIT_SECONDS:
            time.sleep(0.002)
        time.sleep(seconds - under_way_at)
    else:
        time.sleep(seconds)
    run.kill()
    run.wait(timeout=WAIT_SECONDS)


def drill(
    start: Callable[[], subprocess.Popen[bytes]],
    target_digest: Callable[[], str | None],
    expected: str,
    old: str,
    sources_whole: Callable[[], bool],
    hidden: Callable[[], list[str]],
    next_run: Callable[[], None],
    reset: Callable[[], None],
    rounds: int,
) -> int:
    """Kills `rounds` runs at moments spread over an uninterrupted run's life, most of them while it merges
    (and up to 4 more, should none of those come while it merged); returns how many of the kills left hidden
    files, that is, came while the merge was under way."""
    reset()
    under_way_at, ended = timeline(start, hidden)
    reset()
    # A quarter of the kills before the merge starts, the rest spread over the merge, its end included.
    moments = [under_way_at * (i + 1) / (rounds // 4 + 1) for i in range(rounds // 4)]
    moments += [
        under_way_at + (ended - under_way_at) * (i + 0.5) / (rounds - len(moments))
        for i in range(rounds - len(moments))
    ]
    # A machine less busy than during the first run makes every run shorter: while no kill has come while a
    # merge was under way, up to 4 more come earlier and earlier after the merge shows, the last as it shows.
    moments += [under_way_at + (ended - under_way_at) * fraction for fraction in (1 / 8, 1 / 32, 1 / 128, 0)]
    under_way = done = 0
    for round, moment in enumerate(moments):
        if round >= rounds and under_way:
            break
        done += 1
        reset()
        kill_at(start(), moment, under_way_at, hidden)
        assert target_digest() in (old, expected), f"round {round}: the target is neither file"
        assert sources_whole(), f"round {round}: a source changed"
        under_way += bool(hidden())
        next_run()
        assert target_digest() == expected, f"round {round}: the next run did not merge"
        assert hidden() == [], f"round {round}: the next run left hidden files"
    print(f"kill -9 drill: {done} rounds, {under_way} killed while merging, files lost: 0")
    return under_way


def test_kill_9_of_a_merge_on_local_disk(spark: SparkSession, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    line = b"1234567,7654321,0.123456\n"
    parts = [(b"%05d" % i) + line[5:] + line * (400_000 + i) for i in range(16)]  # about 150 MiB
    for i, data in enumerate(parts):
        (source / f"part-{i:05d}-drill-c000.csv").write_bytes(data)
    sizes = {p.name: p.stat().st_size for p in source.iterdir()}
    target = tmp_path / "out.csv"
    expected = digest(b"".join(parts))

    under_way = drill(
        start=lambda: merge_jvm(str(source), str(target)),
        target_digest=lambda: digest(target.read_bytes()) if target.exists() else None,
        expected=expected,
        old=digest(OLD),
        sources_whole=lambda: {p.name: p.stat().st_size for p in source.iterdir()} == sizes,
        hidden=lambda: hidden_in(tmp_path),
        next_run=lambda: sparkmerge.merge(spark, source, target, overwrite=True) and None,
        reset=lambda: target.write_bytes(OLD),
        rounds=ROUNDS,
    )

    assert under_way >= 1, "no kill came while a merge was under way: the drill tested nothing"


def test_kill_9_of_a_merge_on_hdfs(spark: SparkSession, hdfs: Hdfs, root: str) -> None:
    source, target = f"{root}/src", f"{root}/out.csv"
    spark.range(0, 1_500_000, 1, 12).selectExpr("id", "id * 7 AS b", "uuid() AS c").write.csv(source)
    # HDFS's own checksums of the files, compared in the JVM: reading them into Python would take longer.
    parts = {part: hdfs.checksum(part) for part in hdfs.parts(source)}
    client = (
        "-Dspark.hadoop.dfs.replication=1",
        "-Dspark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms=5",
    )
    sparkmerge.merge(spark, source, f"{root}/reference.csv")

    under_way = drill(
        start=lambda: merge_jvm(source, target, *client),
        target_digest=lambda: hdfs.checksum(target) if hdfs.exists(target) else None,
        expected=hdfs.checksum(f"{root}/reference.csv"),
        old=hdfs.checksum_of(OLD, f"{root}/old.csv"),
        sources_whole=lambda: {part: hdfs.checksum(part) for part in hdfs.parts(source)} == parts,
        hidden=lambda: [name for name in hdfs.listing(root) if ".sparkmerge-" in name],
        next_run=lambda: sparkmerge.merge(spark, source, target, overwrite=True) and None,
        reset=lambda: hdfs.write(target, OLD, overwrite=True),
        rounds=ROUNDS // 2,
    )

    assert under_way >= 1, "no kill came while a merge was under way: the drill tested nothing"


WRITE_SINGLE = """
import sys
from pyspark.sql import SparkSession
import sparkmerge

builder = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
spark = sparkmerge.configure(builder).getOrCreate()
df = spark.range(0, 1_000_000, 1, 16).selectExpr("id", "uuid() AS u")
sparkmerge.write_single(df, sys.argv[1], header=True, mode="overwrite")
"""


@pytest.mark.skipif(
    pyspark.__version__.startswith("3."),
    reason="the write_single drill runs once, on Spark 4: the engine under it is the merge the 3.5 run drills",
)
def test_kill_9_of_write_single_leaves_the_old_file_and_nothing_the_next_run_keeps(
    spark: SparkSession, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"

    def start() -> subprocess.Popen[bytes]:
        # A session of its own, as a shell starts a job: the kill takes the driver and its JVM at once.
        return subprocess.Popen(
            [sys.executable, "-c", WRITE_SINGLE, str(target)],
            env=python_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def hidden() -> list[str]:
        return hidden_in(tmp_path)

    target.write_bytes(OLD)
    under_way_at, ended = timeline(start, hidden)
    rows = target.read_bytes().count(b"\n")
    assert rows == 1_000_001
    under_way = 0
    # Each kill is timed from when this run's hidden files show: starting Python and Spark, which varies most
    # on a busy machine, cannot move a kill out of the write. The first comes the moment the write shows.
    for fraction in (0.0, 0.4, 0.8):
        target.write_bytes(OLD)
        run = start()
        began = time.monotonic()
        while not hidden() and run.poll() is None and time.monotonic() - began < WAIT_SECONDS:
            time.sleep(0.002)
        time.sleep((ended - under_way_at) * fraction)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=WAIT_SECONDS)
        wait_until_group_ended(run.pid)
        content = target.read_bytes()
        assert content == OLD or content.count(b"\n") == rows
        under_way += bool(hidden())
        # The next run, in this test's own session: same target, the killed one's files are cleaned.
        df = spark.range(0, 10, 1, 2)
        sparkmerge.write_single(df, target, mode="overwrite")
        assert hidden() == []
    print(
        f"kill -9 drill of write_single: 3 rounds, {under_way} killed while writing or merging, files lost: 0"
    )
    assert under_way >= 1, "no kill came while write_single was under way: the drill tested nothing"
