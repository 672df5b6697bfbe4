"""Classic and Connect give the same answer to the same call: every call shape (one file, ``{column}``, ``{n}``,
both, ``max_records_per_file`` without ``{n}``, each mode, each bad option) runs on a classic session and on a
Spark Connect session, each into a folder of its own, and the two folders (every file, byte for byte), the
results and the errors (class and message, the folder's path taken out) must be the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pyspark
import pyarrow.parquet as pq
import pytest
from pyspark.sql import DataFrame, SparkSession

import sparkmerge

SPARK_4 = pyspark.__version__.startswith("4.")

#: name: (target under the folder, keyword arguments of write_single)
WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "one file": ("out.csv", {"header": True, "sep": ";"}),
    "a file per value": ("by/{k}.csv", {"partition_by": "k", "header": True}),
    "numbered files": ("n/part-{n}.csv", {"max_records_per_file": 700, "header": True}),
    "numbered files per value": ("kn/{k}/{n}.csv", {"partition_by": "k", "max_records_per_file": 300}),
    "a limit without {n} is one file": ("split.csv", {"max_records_per_file": 500}),
    "json": ("out.json", {"format": "json", "compression": "gzip"}),
    "overwrite": ("taken.csv", {"mode": "overwrite"}),
    "ignore": ("taken.csv", {"mode": "ignore"}),
    "errorifexists": ("taken.csv", {"mode": "errorifexists"}),
    "a set that exists": ("pre/{k}.csv", {"partition_by": "k"}),
    "a set with ignore": ("pre/{k}.csv", {"partition_by": "k", "mode": "ignore"}),
    "a set with overwrite": ("pre/{k}.csv", {"partition_by": "k", "mode": "overwrite"}),
    "append": ("out.csv", {"mode": "append"}),
    "an unknown mode": ("out.csv", {"mode": "upsert"}),
    "a flag that is not one": ("out.csv", {"header": "maybe"}),
    "a limit of 0": ("{n}.csv", {"max_records_per_file": 0}),
    "{n} without a limit": ("{k}-{n}.csv", {"partition_by": "k"}),
    "one column twice": ("{k}.csv", {"partition_by": ["k", "k"]}),
    "a template without columns": ("{k}.csv", {}),
    "columns without a template": ("out.csv", {"partition_by": "k"}),
    "a column the frame lacks": ("{z}.csv", {"partition_by": "z"}),
    "a directory as the target": ("dir/", {}),
    "an encoding with a byte-order mark": ("out.csv", {"encoding": "UTF-16"}),
    "parquet": ("out.parquet", {"format": "parquet"}),
    "a byte-order mark for json": ("out.json", {"format": "json", "bom": True}),
    "xml without rowTag": ("out.xml", {"format": "xml"}),
    "a brace without a column": ("out-{k.csv", {}),
}

#: name: (source folder, target under the folder, keyword arguments of merge)
MERGES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "one file": ("flat", "m.csv", {"header": True}),
    "a file per value": ("byk", "m/{k}.csv", {"header": True}),
    "an unknown option, many files": ("byk", "m/{k}.csv", {"sepp": "x"}),
    "a policy that is not one, many files": ("byk", "m/{k}.csv", {"missing_newline": "maybe"}),
    "a policy that is not one": ("flat", "m.csv", {"missing_newline": "maybe"}),
    "a bom that is not a flag": ("flat", "m.csv", {"bom": "maybe"}),
    "overwrite": ("flat", "taken.csv", {"overwrite": True}),
    "a target that exists": ("flat", "taken.csv", {}),
    "a directory as the target": ("flat", "dir/", {}),
    "a template in the host": ("byk", "file://{k}/x.csv", {}),
    "a brace without a column": ("byk", "m/{k.csv", {}),
}


def frame(session: SparkSession) -> DataFrame:
    """The same sorted rows on either kind of session."""
    return session.range(0, 3000, 1, 4).selectExpr("id", "id % 3 AS k", "concat('n', id) AS note")


@pytest.fixture(scope="module")
def sources(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directories a job wrote, which both sessions merge: one flat, one by partition value."""
    root = tmp_path_factory.mktemp("sources")
    frame(spark).write.option("header", "true").csv(str(root / "flat"))
    frame(spark).write.option("header", "true").partitionBy("k").csv(str(root / "byk"))
    return root


def folder(root: Path) -> Path:
    """A folder with the files the calls meet there: a taken target and one file of a set."""
    (root / "pre").mkdir(parents=True)
    (root / "taken.csv").write_bytes(b"old\n")
    (root / "pre" / "1.csv").write_bytes(b"old one\n")
    return root


def both(
    spark: SparkSession, connect: SparkSession, tmp_path: Path, call: Callable[[SparkSession, Path], Any]
) -> tuple[Any, Any]:
    """The call on each kind of session, each into a folder of its own, as a user sees it: its result or its
    error, with the folder's path taken out, and every file of the folder after it."""
    answers = []
    for session, name in ((spark, "classic"), (connect, "connect")):
        root = folder(tmp_path / name)
        before = files(root)
        try:
            seen: tuple[Any, ...] = ("result", *shape(call(session, root), root))
        except sparkmerge.SparkMergeError as error:
            seen = ("error", type(error).__name__, str(error).replace(str(root), "<folder>"))
            assert files(root) == before, f"{name}: the failed call wrote {error}"
        answers.append((seen, files(root)))
    return answers[0], answers[1]


def files(root: Path) -> dict[str, Any]:
    return {str(p.relative_to(root)): content(p) for p in sorted(root.rglob("*")) if p.is_file()}


def content(file: Path) -> Any:
    """A file's bytes; a Parquet file's rows and row groups, since Spark's parts differ between two JVMs (parquet-mr
    lists each column's encodings from a hash set, in an order of the JVM's)."""
    if file.suffix != ".parquet":
        return file.read_bytes()
    parquet = pq.ParquetFile(file)
    return parquet.read().to_pylist(), parquet.metadata.num_row_groups, parquet.schema_arrow


def shape(result: sparkmerge.MergeResult, root: Path) -> tuple[Any, ...]:
    each = list(result) if isinstance(result, sparkmerge.MergeResults) else [result]
    return (
        type(result).__name__,
        result.target.replace(str(root), "<folder>"),
        result.files,
        result.bytes,
        result.strategy,
        [(r.target.replace(str(root), "<folder>"), r.files, r.bytes, r.strategy) for r in each],
    )


def under(root: Path, target: str) -> str:
    return target if "://" in target else f"{root}/{target}"


@pytest.mark.parametrize("case", WRITES)
def test_write_single(spark: SparkSession, connect: SparkSession, tmp_path: Path, case: str) -> None:
    target, arguments = WRITES[case]

    def write(session: SparkSession, root: Path) -> sparkmerge.MergeResult:
        return sparkmerge.write_single(frame(session), under(root, target), **arguments)

    classic, remote = both(spark, connect, tmp_path, write)
    assert remote == classic
    assert "\n" not in str(classic[0])


@pytest.mark.skipif(
    not SPARK_4, reason="merge on Spark Connect calls a SQL procedure, which came with Spark 4"
)
@pytest.mark.parametrize("case", MERGES)
def test_merge(spark: SparkSession, connect: SparkSession, sources: Path, tmp_path: Path, case: str) -> None:
    source, target, arguments = MERGES[case]

    def merge(session: SparkSession, root: Path) -> sparkmerge.MergeResult:
        return sparkmerge.merge(session, sources / source, under(root, target), **arguments)

    classic, remote = both(spark, connect, tmp_path, merge)
    assert remote == classic
    assert "\n" not in str(classic[0])
