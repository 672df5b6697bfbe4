"""Merges on a real S3 server (moto's, on 127.0.0.1) through Hadoop's S3A: the store copies the parts' byte
ranges, the object appears whole or not at all, a failed merge leaves no multipart upload behind, and what a
killed driver leaves (its hidden prefix, its upload) the next write or merge removes."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

import pyspark
import pytest
from concurrently import in_thread, one_winner, until
from conftest import S3, python_env
from drills import wait_until_group_ended
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import sparkmerge

MiB = 1 << 20
HEADER = b"id,payload\n"


def rows(first: int, size: int, header: bool = False) -> bytes:
    """A CSV part of about ``size`` bytes, its rows numbered from ``first``."""
    line = 11 + 41
    count = max(1, size // line)
    body = b"".join(b"%09d,%s\n" % (i, b"x" * 40) for i in range(first, first + count))
    return (HEADER if header else b"") + body


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4()}"


def test_large_parts_are_copied_by_the_store_and_the_header_kept_once(
    spark: SparkSession, s3: S3, prefix: str
) -> None:
    parts = [rows(i * 1_000_000, 6 * MiB, header=True) for i in range(3)]
    for i, data in enumerate(parts):
        s3.put(f"{prefix}/src/part-{i:05d}.csv", data)
    result = sparkmerge.merge(spark, s3.url(f"{prefix}/src"), s3.url(f"{prefix}/out.csv"), header=True)
    assert s3.get(f"{prefix}/out.csv") == parts[0] + b"".join(p[len(HEADER) :] for p in parts[1:])
    assert result.strategy == "server-side"
    assert "the store copied" in result.reason and "concat" not in result.reason
    assert s3.keys(f"{prefix}/") == sorted(
        [f"{prefix}/out.csv"] + [f"{prefix}/src/part-{i:05d}.csv" for i in range(3)]
    )
    assert s3.uploads(prefix) == []


def test_small_parts_in_order_and_gzip(spark: SparkSession, s3: S3, prefix: str) -> None:
    small = [rows(i * 1000, 20_000 + i) for i in range(120)]
    for i, data in enumerate(small):
        s3.put(f"{prefix}/small/part-{i:05d}", data)
    sparkmerge.merge(spark, s3.url(f"{prefix}/small"), s3.url(f"{prefix}/small.csv"))
    assert s3.get(f"{prefix}/small.csv") == b"".join(small)

    text = [rows(i * 1_000_000, MiB, header=True) for i in range(2)]
    for i, data in enumerate(text):
        s3.put(f"{prefix}/gz/part-{i:05d}.csv.gz", gzip.compress(data))
    sparkmerge.merge(spark, s3.url(f"{prefix}/gz"), s3.url(f"{prefix}/out.csv.gz"), header=True)
    assert gzip.decompress(s3.get(f"{prefix}/out.csv.gz")) == text[0] + text[1][len(HEADER) :]


def test_racing_merges_without_overwrite_one_wins(spark: SparkSession, s3: S3, prefix: str) -> None:
    # "a" is one range the store copies, done in a moment; "b" is 300 small parts uploaded through the JVM,
    # seconds of work, so that their completions never meet: moto itself checks and completes in two steps.
    # Whether "b" has passed its early check when "a" completes or not, exactly one of them may win.
    s3.put(f"{prefix}/a/part-00000", rows(0, 6 * MiB))
    for i in range(300):
        s3.put(f"{prefix}/b/part-{i:05d}", rows((i + 1) * 1_000_000, 60_000))
    outcomes: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            outcomes[name] = sparkmerge.merge(spark, s3.url(f"{prefix}/{name}"), s3.url(f"{prefix}/out.csv"))
        except sparkmerge.SparkMergeError as error:
            outcomes[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in ("b", "a")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["MergeResult", "TargetExistsError"]
    winner = next(name for name, o in outcomes.items() if isinstance(o, sparkmerge.MergeResult))
    expected = b"".join(s3.get(key) for key in s3.keys(f"{prefix}/{winner}/"))
    assert s3.get(f"{prefix}/out.csv") == expected
    assert s3.uploads(prefix) == []


def test_errors_on_s3_are_the_same_classes(spark: SparkSession, s3: S3, prefix: str) -> None:
    s3.put(f"{prefix}/src/part-00000", b"a\n")
    s3.put(f"{prefix}/out.csv", b"old\n")
    with pytest.raises(sparkmerge.TargetExistsError, match="out.csv"):
        sparkmerge.merge(spark, s3.url(f"{prefix}/src"), s3.url(f"{prefix}/out.csv"))
    assert s3.get(f"{prefix}/out.csv") == b"old\n"
    with pytest.raises(sparkmerge.SourceNotFoundError):
        sparkmerge.merge(spark, s3.url(f"{prefix}/none"), s3.url(f"{prefix}/x.csv"))
    s3.put(f"{prefix}/pq/part-00000.parquet", b"PAR1....PAR1")
    with pytest.raises(sparkmerge.UnsupportedFormatError):
        sparkmerge.merge(spark, s3.url(f"{prefix}/pq"), s3.url(f"{prefix}/x.parquet"))


def test_write_single_to_s3_is_the_local_file_byte_for_byte(
    spark: SparkSession, s3: S3, prefix: str, tmp_path: Path
) -> None:
    df = spark.range(0, 200_000, numPartitions=4).select(
        F.col("id"), (F.col("id") * 7 % 1000).alias("score"), F.lit("user").alias("kind")
    )
    result = sparkmerge.write_single(df, s3.url(f"{prefix}/recs.csv"), header=True)
    sparkmerge.write_single(df, str(tmp_path / "recs.csv"), header=True)
    assert s3.get(f"{prefix}/recs.csv") == (tmp_path / "recs.csv").read_bytes()
    assert result.files == 4
    # The hidden prefix Spark wrote the parts under is gone, and no upload is left.
    assert s3.keys(f"{prefix}/") == [f"{prefix}/recs.csv"]
    assert s3.uploads(prefix) == []


def test_write_single_per_value_to_s3_is_the_local_files_byte_for_byte(
    spark: SparkSession, s3: S3, prefix: str, tmp_path: Path
) -> None:
    df = spark.range(0, 60_000, numPartitions=3).selectExpr(
        "id", "id % 3 AS k", "sha2(CAST(id AS STRING), 256) AS h"
    )
    results = sparkmerge.write_single(df, s3.url(f"{prefix}/out/{{k}}.csv"), partition_by="k", header=True)
    sparkmerge.write_single(df, str(tmp_path / "{k}.csv"), partition_by="k", header=True)

    assert s3.keys(f"{prefix}/") == [f"{prefix}/out/{k}.csv" for k in range(3)]
    for k in range(3):
        assert s3.get(f"{prefix}/out/{k}.csv") == (tmp_path / f"{k}.csv").read_bytes()
    assert {r.strategy for r in results} == {"server-side"}
    assert s3.uploads(prefix) == []


def test_a_refused_or_empty_template_write_leaves_the_keys_as_they_were(
    spark: SparkSession, s3: S3, prefix: str
) -> None:
    # S3 has no folders, only markers: a key ending in "/" that S3A may make, and keep, for each one it made.
    s3.put(f"{prefix}/out/1/x/00001.csv", b"old\n")
    before = s3.keys(f"{prefix}/")
    df = spark.range(0, 40, 1, 2).selectExpr("id", "CAST(id % 2 AS STRING) AS v")
    with pytest.raises(sparkmerge.TargetExistsError):
        sparkmerge.write_single(
            df, s3.url(f"{prefix}/out/{{v}}/x/{{n}}.csv"), partition_by="v", max_records_per_file=10
        )
    assert s3.keys(f"{prefix}/") == before
    assert (
        sparkmerge.write_single(df.limit(0), s3.url(f"{prefix}/new/a/{{v}}.csv"), partition_by="v").results
        == ()
    )
    assert s3.keys(f"{prefix}/") == before
    assert s3.uploads(prefix) == []


ROWS = 200_000
KILLED_WRITE = f"""
import json, sys
from pyspark.sql import SparkSession
import sparkmerge

settings, jars, target = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
builder = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
builder = builder.config("spark.driver.extraClassPath", jars)
for key, value in settings.items():
    builder = builder.config("spark.hadoop." + key, value)
spark = sparkmerge.configure(builder).getOrCreate()
df = spark.range(0, {ROWS}, 1, 8).selectExpr("id", "sha2(CAST(id AS STRING), 256) AS h")
sparkmerge.write_single(df, target, header=True, mode="overwrite")
"""
KILL_WAIT = 120


def hashed_rows(first: int, end: int) -> bytes:
    """The CSV rows Spark writes for ``range(first, end)`` with ``sha2(CAST(id AS STRING), 256)``."""
    return b"".join(
        b"%d,%s\n" % (i, hashlib.sha256(b"%d" % i).hexdigest().encode()) for i in range(first, end)
    )


@pytest.mark.skipif(
    pyspark.__version__.startswith("3."),
    reason="the S3 kill drill runs once, on Spark 4: S3MergeSuite tests the cleanup on 3.5's S3A too",
)
def test_kill_9_of_write_single_to_s3_leaves_the_old_object_and_what_the_next_write_or_merge_removes(
    spark: SparkSession, s3: S3, prefix: str, tmp_path: Path
) -> None:
    import s3_server

    target, old = f"{prefix}/out.csv", b"the old object\n"
    expected = b"id,h\n" + hashed_rows(0, ROWS)
    df = spark.range(0, ROWS, 1, 8).selectExpr("id", "sha2(CAST(id AS STRING), 256) AS h")
    # The same file as parts with headers, for the round whose next run is a merge.
    (tmp_path / "parts").mkdir()
    for i, first in enumerate(range(0, ROWS, ROWS // 4)):
        part = b"id,h\n" + hashed_rows(first, first + ROWS // 4)
        (tmp_path / "parts" / f"part-{i:05d}.csv").write_bytes(part)

    def hidden() -> list[str]:
        return [key for key in s3.keys(f"{prefix}/") if ".sparkmerge-" in key]

    def writing() -> bool:
        """A task's part is under the hidden prefix, and more tasks are to come (8 of them, 2 at a time)."""
        return any("/part-" in key for key in hidden())

    def uploading() -> bool:
        """An upload to the target holds a part: the merge is half way."""
        listed = s3.client.list_multipart_uploads(Bucket=s3.bucket, Prefix=target).get("Uploads", [])
        return any(
            s3.client.list_parts(Bucket=s3.bucket, Key=target, UploadId=upload["UploadId"]).get("Parts")
            for upload in listed
            if upload["Key"] == target
        )

    def killed_when(moment: Callable[[], bool]) -> bool:
        """A driver of its own, killed when ``moment`` holds; False if it ended first or the moment never came."""
        # One 5 MiB part at a time: the upload lasts long enough to be caught with a part in it.
        settings = {**s3_server.s3a_settings(s3.endpoint), "sparkmerge.s3.threads": "1"}
        settings["sparkmerge.s3.upload-part-size"] = "5M"
        args = [json.dumps(settings), ":".join(s3_server.s3a_jars()), s3.url(target)]
        # A session of its own: the kill takes the Python process and its JVM at once.
        run = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITE, *args],
            env=python_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + KILL_WAIT
        # Only while it is not reaped: once it is, its group may be gone, or its pid another process's.
        while run.poll() is None and time.monotonic() < deadline:
            if moment():
                os.killpg(run.pid, signal.SIGKILL)
                killed = run.wait(timeout=KILL_WAIT) == -signal.SIGKILL
                wait_until_group_ended(run.pid)
                return killed
            time.sleep(0.02)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=KILL_WAIT)
        return False

    # Killed while Spark writes the parts under the hidden prefix (no upload yet), the next write_single
    # removes the prefix; killed while the upload to the target holds a part, a plain merge removes the prefix
    # and aborts the upload, which S3 lists with no owner: the killed merge's hidden record names it.
    for name, moment, next_run in [("writing", writing, "write"), ("uploading", uploading, "merge")]:
        s3.put(target, old)
        assert killed_when(moment), f"killed while {name}: the driver ended first, or never got there"
        assert s3.get(target) in (old, expected), f"killed while {name}: the object is neither"
        left, left_uploads = hidden(), s3.uploads(prefix)
        print(f"killed while {name}: {len(left)} hidden objects and uploads to {left_uploads} left")
        assert left, f"killed while {name}: nothing was left, so the drill tested nothing"
        assert target in left_uploads or name == "writing", "killed while uploading: no upload was left"
        if next_run == "write":
            sparkmerge.write_single(df, s3.url(target), header=True, mode="overwrite")
        else:
            sparkmerge.merge(spark, str(tmp_path / "parts"), s3.url(target), header=True, overwrite=True)
        assert s3.get(target) == expected, f"killed while {name}: the next {next_run} did not make the file"
        assert hidden() == [], f"killed while {name}: the next {next_run} left the hidden prefix"
        assert s3.uploads(prefix) == [], f"killed while {name}: the next {next_run} left an upload"


@pytest.mark.skipif(
    not pyspark.__version__.startswith("4."),
    reason="Spark 3.5's AWS SDK v1 sends customer keys over HTTPS only, and the loopback server speaks HTTP",
)
def test_with_customer_keys_every_byte_goes_through_the_jvm_and_racing_merges_still_make_one_winner(
    spark: SparkSession, s3: S3, prefix: str, tmp_path: Path
) -> None:
    import base64

    from http_gate import Gate

    # A bucket of its own, whose S3A encrypts with a customer key (moto keeps no encryption, and takes the
    # headers): the store may copy nothing between objects, so each merge uploads every byte. S3A reaches it
    # through a gate that holds the completions of the uploads until both merges are there, past their own
    # checks; then lets them go one after the other (moto checks and completes in two steps, S3 in one).
    bucket = "sparkmerge-py-ssec"
    s3.client.create_bucket(Bucket=bucket)
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
    sources = {}
    for name in "ab":
        sources[name] = tmp_path / name
        sources[name].mkdir()
        for i in range(3):
            (sources[name] / f"part-{i:05d}").write_bytes(name.encode() * 3 + b"\n" + rows(i * 1000, 100_000))
    with Gate(int(s3.endpoint.rsplit(":", 1)[1])) as gate:
        for key, value in {
            "encryption.algorithm": "SSE-C",
            "encryption.key": base64.b64encode(b"k" * 32).decode(),
            "endpoint": f"http://{gate.endpoint}",
        }.items():
            conf.set(f"fs.s3a.bucket.{bucket}.{key}", value)
        target = f"s3a://{bucket}/{prefix}/out.csv"
        gate.hold(rf"^POST /{bucket}/.*[?&]uploadId=")
        runs = [in_thread(lambda n=name: sparkmerge.merge(spark, str(sources[n]), target)) for name in "ab"]
        try:
            until(lambda: gate.held() == 2, "both merges' completions")
            gate.release_one()
            until(lambda: gate.held() == 1, "the first completion")
            until(lambda: any(outcome for _, outcome in runs), "the first merge's end")
        finally:
            gate.release()
        winner = one_winner(runs)

    result = next(outcome["outcome"] for name, (_, outcome) in zip("ab", runs) if name == winner)
    assert isinstance(result, sparkmerge.MergeResult)
    assert "customer keys (SSE-C)" in result.reason and result.strategy == "copy", result.reason
    written = s3.client.get_object(Bucket=bucket, Key=f"{prefix}/out.csv")["Body"].read()
    assert written == b"".join(p.read_bytes() for p in sorted(sources[winner].iterdir()))
    assert s3.client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
