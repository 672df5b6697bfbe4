"""Merges on Azure Blob Storage, emulated by Azurite on 127.0.0.1, through Hadoop's ABFS connector over the Blob
endpoint (an account without a hierarchical namespace): Spark writes its parts to abfs://, and the merge leaves one
file at the path asked for with the parts' bytes in order. The store stages the parts' byte ranges as blocks of the
target itself (Put Block From URL), and committing the block list publishes it only if the target is as the merge
found it: of two merges racing for one name exactly one wins, and an overwrite never replaces someone else's."""

from __future__ import annotations

import gzip
import io
import uuid
from pathlib import Path

import pandas as pd
import pyspark
import pytest
from concurrently import WAIT_SECONDS, in_thread, one_winner, until
from conftest import Azure, hadoop_settings
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import sparkmerge

# The ABFS connector that speaks to the Blob endpoint is Hadoop 3.4.2's; Spark 3.5 ships Hadoop 3.3.
pytestmark = pytest.mark.skipif(
    not pyspark.__version__.startswith("4."),
    reason="ABFS over the Blob endpoint needs Hadoop 3.4, which Spark 4 ships",
)


HEADER = b"id,payload\n"
KiB = 1 << 10
MiB = 1 << 20


def rows(first: int, count: int) -> bytes:
    return b"".join(b"%09d,%s\n" % (i, b"x" * 20) for i in range(first, first + count))


def sized(first: int, size: int) -> bytes:
    """Rows numbered from ``first``, about ``size`` bytes of them."""
    return rows(first, max(1, size // 31))


def hidden(azure: Azure, prefix: str) -> list[str]:
    return [name for name in azure.names(prefix) if ".sparkmerge-" in name]


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4()}"


def test_spark_csv_parts_merge_into_one_file_with_the_header_once(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    df = spark.range(0, 20_000, numPartitions=4).select(F.col("id"), (F.col("id") * 7 % 1000).alias("score"))
    df.write.csv(azure.url(f"{prefix}/src"), header=True)
    parts = [name for name in azure.names(f"{prefix}/src") if name.rsplit("/", 1)[-1].startswith("part-")]
    assert len(parts) == 4
    data = [azure.get(name) for name in parts]
    header = data[0].split(b"\n", 1)[0] + b"\n"
    assert header == b"id,score\n" and all(d.startswith(header) for d in data)

    result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"), header=True)

    assert azure.get(f"{prefix}/out.csv") == header + b"".join(d[len(header) :] for d in data)
    assert result.target == azure.url(f"{prefix}/out.csv")
    assert result.files == 4
    # The parts stay (no delete_source), and the merge leaves nothing of its own beside the target.
    assert azure.names(prefix) == sorted([f"{prefix}/out.csv", f"{prefix}/src/_SUCCESS", *parts])


def test_parts_are_merged_in_part_order(spark: SparkSession, azure: Azure, prefix: str) -> None:
    # Numbered without padding: part-10 comes after part-9, as numbers do; the empty part adds nothing.
    parts = [b"" if i == 5 else rows(i * 1000, 50 + i) for i in range(12)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i}.csv", data)

    sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"))

    assert azure.get(f"{prefix}/out.csv") == b"".join(parts)


def test_write_single_to_abfs_reads_back_as_the_dataframe_and_the_local_file(
    spark: SparkSession, azure: Azure, prefix: str, tmp_path: Path
) -> None:
    df = spark.range(0, 5_000, numPartitions=3).select(
        F.col("id"), (F.col("id") % 7).alias("day"), F.concat(F.lit("name-"), F.col("id")).alias("name")
    )
    result = sparkmerge.write_single(df, azure.url(f"{prefix}/recs.csv"), header=True)
    sparkmerge.write_single(df, str(tmp_path / "recs.csv"), header=True)

    written = azure.get(f"{prefix}/recs.csv")
    assert written == (tmp_path / "recs.csv").read_bytes()
    assert result.bytes == len(written)
    back = pd.read_csv(io.BytesIO(written))
    pd.testing.assert_frame_equal(back, df.toPandas(), check_dtype=False)
    assert azure.names(prefix) == [f"{prefix}/recs.csv"]


def test_the_store_stages_the_parts_and_a_range_drops_each_header(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    parts = [HEADER + sized(i * 1_000_000, MiB) for i in range(3)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}.csv", data)

    result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"), header=True)

    assert azure.get(f"{prefix}/out.csv") == parts[0] + b"".join(p[len(HEADER) :] for p in parts[1:])
    assert result.strategy == "server-side"
    assert "0.0 MiB went through this JVM" in result.reason, result.reason
    assert azure.blocks(f"{prefix}/out.csv") == 3
    assert hidden(azure, prefix) == []


def test_reading_the_headers_of_large_parts_fetches_a_few_kib_of_each(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    # The connector fills a buffer of 4 MiB on a stream's first read: a header read that way costs each part
    # whole. Planning reads here ask for their bytes only; the store stages the parts without this JVM.
    parts = [HEADER + sized(i * 1_000_000, MiB) for i in range(20)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}.csv", data)
    before = azure.gate.bytes_down()

    result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"), header=True)

    fetched = azure.gate.bytes_down() - before
    assert fetched < 20 * 64 * KiB, f"{fetched} bytes read from the store for 20 parts of 1 MiB"
    assert result.strategy == "server-side" and "0.0 MiB went through this JVM" in result.reason
    assert azure.get(f"{prefix}/out.csv") == parts[0] + b"".join(p[len(HEADER) :] for p in parts[1:])


def test_small_parts_are_gathered_and_a_long_one_split_by_the_block_size(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    # 40 parts under the 256 KiB worth a block of their own, read here and sent as one block; then a part of
    # 3 MiB, staged by the store in blocks of at most 1 MiB.
    parts = [sized(i * 1000, 2 * KiB) for i in range(40)] + [sized(10_000_000, 3 * MiB)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}", data)
    blocks = {"sparkmerge.azure.max-block-size": "1M", "sparkmerge.azure.upload-block-size": "256K"}
    with hadoop_settings(spark, blocks):
        result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"))

    assert azure.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "server-side"
    # The gathered 80 KiB and the first 176 KiB of the long part: one block of 256 KiB (0.25 MiB), sent from
    # here; the rest of the long part, under 3 MiB, three blocks staged from it.
    assert azure.blocks(f"{prefix}/out.csv") == 4
    assert "0.3 MiB went through this JVM" in result.reason, result.reason


def test_order_across_200_parts_with_empty_and_gzip_parts(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    # Every fifth part large enough to be staged, the others gathered, some empty: one order across both ways.
    parts = [b"" if i % 7 == 3 else sized(i * 10_000, 300 * KiB if i % 5 == 0 else KiB) for i in range(200)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}", data)
    result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"))
    assert azure.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "server-side" and result.files == 200

    # Gzip parts with a header each: the header is inside the compressed stream, so the parts are read, and
    # their members follow each other in one valid gzip file.
    text = [HEADER + sized(i * 1_000_000, 400 * KiB) for i in range(3)]
    for i, data in enumerate(text):
        azure.put(f"{prefix}/gz/part-{i:05d}.csv.gz", gzip.compress(data))
    sparkmerge.merge(spark, azure.url(f"{prefix}/gz"), azure.url(f"{prefix}/out.csv.gz"), header=True)
    assert gzip.decompress(azure.get(f"{prefix}/out.csv.gz")) == text[0] + b"".join(
        t[len(HEADER) :] for t in text[1:]
    )
    assert hidden(azure, prefix) == []


def test_racing_merges_without_overwrite_one_wins(spark: SparkSession, azure: Azure, prefix: str) -> None:
    for name in ("a", "b"):
        for i in range(3):
            azure.put(f"{prefix}/{name}/part-{i:05d}", name.encode() * 3 + b"\n" + sized(i * 1000, 300 * KiB))
    target = f"{prefix}/out.csv"
    # Both merges wait at their commit, every block staged and every check of their own passed; then both
    # commit, each with the target absent when it began.
    azure.gate.hold("comp=blocklist")
    runs = [
        in_thread(lambda n=name: sparkmerge.merge(spark, azure.url(f"{prefix}/{n}"), azure.url(target)))
        for name in "ab"
    ]
    try:
        until(lambda: azure.gate.held() == 2, "both merges' commits")
    finally:
        azure.gate.release()
    winner = one_winner(runs)
    assert azure.get(target) == b"".join(azure.get(f"{prefix}/{winner}/part-{i:05d}") for i in range(3))
    assert hidden(azure, prefix) == []


def test_an_overwrite_never_replaces_what_another_writer_put_there_meanwhile(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    parts = [sized(i * 1000, 300 * KiB) for i in range(3)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}", data)
    target = f"{prefix}/out.csv"
    azure.put(target, b"old\n")
    sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(target), overwrite=True)
    assert azure.get(target) == b"".join(parts)

    # Someone else (another client, straight to the store) writes the target while the merge waits at its
    # commit: the merge replaces the blob it found when it began, and no other.
    azure.put(target, b"old\n")
    azure.gate.hold("comp=blocklist")
    thread, outcome = in_thread(
        lambda: sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(target), overwrite=True)
    )
    try:
        until(lambda: azure.gate.held() == 1, "the merge's commit")
        azure.put_blob(target, b"someone else's\n")
    finally:
        azure.gate.release()
    thread.join(timeout=WAIT_SECONDS)

    assert isinstance(outcome["outcome"], sparkmerge.TargetExistsError), outcome
    assert "written by someone else while this merge ran" in str(outcome["outcome"])
    assert azure.get(target) == b"someone else's\n"
    assert hidden(azure, prefix) == []


def test_a_part_deleted_while_merging_leaves_no_blob_and_nothing_committed(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    parts = [sized(i * 1000, 300 * KiB) for i in range(4)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}", data)
    # The blocks wait to be staged; a part goes meanwhile.
    azure.gate.hold("comp=block&")
    thread, outcome = in_thread(
        lambda: sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"))
    )
    try:
        until(lambda: azure.gate.held() >= 1, "the first block's staging")
        azure.gate.release()
        azure.delete(f"{prefix}/src/part-00002")
    finally:
        azure.gate.release()
    thread.join(timeout=WAIT_SECONDS)

    assert isinstance(outcome["outcome"], sparkmerge.SparkMergeError), outcome
    assert "part-00002" in str(outcome["outcome"]), outcome
    assert f"{prefix}/out.csv" not in azure.names(prefix)
    assert hidden(azure, prefix) == []


def test_one_parquet_file_from_staged_parts_and_a_footer_block(
    spark: SparkSession, azure: Azure, prefix: str, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    df = spark.range(0, 60_000, numPartitions=3).selectExpr("id", "sha2(CAST(id AS STRING), 256) AS h")
    result = sparkmerge.write_single(df, azure.url(f"{prefix}/out.parquet"), "parquet")

    (tmp_path / "out.parquet").write_bytes(azure.get(f"{prefix}/out.parquet"))
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("id").to_pylist() == list(range(60_000))
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_row_groups == 3
    assert result.strategy == "server-side", result.reason
    assert azure.names(prefix) == [f"{prefix}/out.parquet"]


def test_with_staging_turned_off_the_copy_goes_through_this_jvm_and_says_why(
    spark: SparkSession, azure: Azure, prefix: str
) -> None:
    parts = [sized(i * 1000, 300 * KiB) for i in range(3)]
    for i, data in enumerate(parts):
        azure.put(f"{prefix}/src/part-{i:05d}", data)
    with hadoop_settings(spark, {"sparkmerge.azure.server-side": "false"}):
        result = sparkmerge.merge(spark, azure.url(f"{prefix}/src"), azure.url(f"{prefix}/out.csv"))
    assert azure.get(f"{prefix}/out.csv") == b"".join(parts)
    assert result.strategy == "copy"
    assert "turned off (sparkmerge.azure.server-side=false)" in result.reason, result.reason
    assert hidden(azure, prefix) == []
