"""The command line refuses a bad merge as a classic session does: ``python -m sparkmerge --json`` names the same
Python class with the same message as ``sparkmerge.merge`` raises, and so does ``run_merge``, which builds the
words for MergeMain in this process; each into a folder of its own, whose path is taken out of the message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_python
from pyspark.sql import SparkSession

import sparkmerge
from sparkmerge._merge_main import run_merge

#: name: (source folder, target under the folder, the command line's words, run_merge's keyword arguments)
CASES: dict[str, tuple[str, str, list[str], dict[str, Any]]] = {
    "a source that is missing": ("missing", "m.csv", [], {}),
    "a target that exists": ("flat", "taken.csv", ["--header"], {"header": True}),
    "a policy that is not one": (
        "flat",
        "m.csv",
        ["--missing-newline", "maybe"],
        {"missing_newline": "maybe"},
    ),
    "a quote of two characters": ("flat", "m.csv", ["-o", "quote=ab"], {"options": {"quote": "ab"}}),
    "an unknown option": ("flat", "m.csv", ["--option=sepp=x"], {"options": {"sepp": "x"}}),
    "a {column} target with an unknown option": (
        "byk",
        "m/{k}.csv",
        ["-o", "sepp=x"],
        {"options": {"sepp": "x"}},
    ),
    "a {column} target with a policy that is not one": (
        "byk",
        "m/{k}.csv",
        ["--missing-newline=maybe"],
        {"missing_newline": "maybe"},
    ),
    "a directory as the target": ("flat", "dir/", [], {}),
}


@pytest.fixture(scope="module")
def sources(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directories a job wrote, which every door merges: one flat, one by partition value."""
    root = tmp_path_factory.mktemp("sources")
    rows = spark.range(0, 300, 1, 3).selectExpr("id", "id % 3 AS k")
    rows.write.option("header", "true").csv(str(root / "flat"))
    rows.write.partitionBy("k").csv(str(root / "byk"))
    return root


def folder(root: Path) -> Path:
    """A folder with a target taken."""
    root.mkdir(parents=True)
    (root / "taken.csv").write_bytes(b"old\n")
    return root


def seen(error: BaseException, root: Path) -> tuple[str, str]:
    return type(error).__name__, str(error).replace(str(root), "<folder>")


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_refuses_as_a_session_does(
    spark: SparkSession, sources: Path, tmp_path: Path, case: str
) -> None:
    source, target, words, arguments = CASES[case]
    merge_arguments = {key: value for key, value in arguments.items() if key != "options"}

    classic = folder(tmp_path / "classic")
    with pytest.raises(sparkmerge.SparkMergeError) as raised:
        sparkmerge.merge(
            spark, sources / source, f"{classic}/{target}", **merge_arguments, **arguments.get("options", {})
        )
    expected = seen(raised.value, classic)

    cli = folder(tmp_path / "cli")
    ran = run_python(
        "-m", "sparkmerge", *words, "--json", "--", str(sources / source), f"{cli}/{target}", cwd=cli
    )
    assert ran.returncode == 1, ran.stderr
    answer = json.loads(ran.stdout)
    assert (answer["error"], answer["message"].replace(str(cli), "<folder>")) == expected
    assert ran.stderr.splitlines()[-1] == f"python -m sparkmerge: error: {answer['message']}"

    library = folder(tmp_path / "run_merge")
    with pytest.raises(sparkmerge.SparkMergeError) as refused:
        run_merge(str(sources / source), f"{library}/{target}", **arguments)
    assert seen(refused.value, library) == expected
    assert (refused.value.java_class or "").startswith("sparkmerge.") == (
        raised.value.java_class or ""
    ).startswith("sparkmerge.")

    for root in (classic, cli, library):
        assert sorted(p.name for p in root.iterdir()) == ["taken.csv"]
