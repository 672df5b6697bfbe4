"""What a merge did, as a plain Python value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

__all__ = ["MergeResult", "MergeResults", "of_call", "from_json", "from_rows"]

SKIPPED = "skipped"


@dataclass(frozen=True)
class MergeResult:
    """The file a merge published, how many part files went into it, its length in bytes, the strategy the
    engine used (``"copy"``, ``"concat"`` on HDFS, ``"server-side"`` on S3, or ``"skipped"`` when ``mode="ignore"``
    found the target), the wall-clock time of the merge in seconds, and why that strategy (why concat could not
    be used, say).
    ``bytes_ahead`` of the bytes were copied while Spark still wrote (``write_single`` on local disk), before
    the merge's ``seconds`` began."""

    target: str
    files: int
    bytes: int
    strategy: str
    seconds: float
    reason: str = ""
    bytes_ahead: int = 0

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> MergeResult:
        """From the fields of the JVM's ``sparkmerge.MergeResult`` by their Scala names, as the engine's JSON
        object holds them."""
        return cls(
            target=str(fields["target"]),
            files=int(fields["files"]),
            bytes=int(fields["bytes"]),
            strategy=str(fields["strategy"]),
            seconds=int(fields["millis"]) / 1000.0,
            reason=str(fields["reason"]),
            bytes_ahead=int(fields["bytesAhead"]),
        )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MergeResult:
        """From the row the SQL procedure and the data source answer (``sparkmerge.sql.ResultRows``: the same
        fields, in snake case)."""
        return cls.from_fields({**row, "bytesAhead": row["bytes_ahead"]})

    @property
    def skipped(self) -> bool:
        """True when nothing was written because the target existed (``mode="ignore"``)."""
        return self.strategy == SKIPPED

    @property
    def mib_per_second(self) -> float:
        """The speed of the merge's own copying: the bytes copied ahead took none of its ``seconds``."""
        return (self.bytes - self.bytes_ahead) / 1048576.0 / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        if self.skipped:
            return f"skipped {self.target}: it exists"
        return (
            f"merged {self.files} file{'s' if self.files != 1 else ''} into {self.target}: "
            f"{_human_bytes(self.bytes)} in {self.seconds:.2f} s ({self.strategy})"
        )


@dataclass(frozen=True)
class MergeResults(MergeResult):
    """What a merge or a write to a target with ``{column}`` or ``{n}`` in it did: one file per partition value,
    or numbered files. ``results`` holds each file's :class:`MergeResult`, in the order of the values and
    numbers; the fields are their totals (``seconds`` too, though files merge a few at a time), ``target`` is
    the template, and iterating goes over ``results``."""

    results: tuple[MergeResult, ...] = ()

    @classmethod
    def of(cls, template: str, results: Sequence[MergeResult]) -> MergeResults:
        return cls(
            target=template,
            files=sum(r.files for r in results),
            bytes=sum(r.bytes for r in results),
            strategy="+".join(sorted({r.strategy for r in results})),
            seconds=sum(r.seconds for r in results),
            reason=f"{len(results)} files",
            bytes_ahead=sum(r.bytes_ahead for r in results),
            results=tuple(results),
        )

    def __iter__(self) -> Iterator[MergeResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __str__(self) -> str:
        return (
            f"merged {self.files} file{'s' if self.files != 1 else ''} into {len(self.results)} files "
            f"{self.target}: {_human_bytes(self.bytes)} in {self.seconds:.2f} s ({self.strategy})"
        )


def of_call(template: Optional[str], results: Sequence[MergeResult]) -> MergeResult:
    """What one call answers: the one file's result for a call of one target (no template), else the template's
    :class:`MergeResults`. The engine decides which, for every door."""
    if template is None:
        if len(results) != 1:
            raise ValueError(f"a call of one file has one result, not {len(results)}")
        return results[0]
    return MergeResults.of(template, results)


def from_json(fields: Mapping[str, Any]) -> MergeResult:
    """From the engine's JSON object of a call (``sparkmerge.cli.Json``, which the command line prints with
    ``--json`` and the classic session's call answers): one file's fields, or a template and its ``results``."""
    if "results" in fields:  # a {column} or {n} target: a result per file
        return of_call(str(fields["template"]), [MergeResult.from_fields(each) for each in fields["results"]])
    return of_call(None, [MergeResult.from_fields(fields)])


def from_rows(rows: Iterable[Mapping[str, Any]], target: str) -> MergeResult:
    """From the rows of ``sparkmerge.sql.ResultRows``, a row per file with the call's template on each; no row at
    all is a template of ``target`` that no value filled."""
    dicts = list(rows)
    template = dicts[0]["template"] if dicts else target
    return of_call(template, [MergeResult.from_row(row) for row in dicts])


def _human_bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    size = float(count)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024.0
        if size < 1024.0 or unit == "TiB":
            break
    return f"{size:.1f} {unit} ({count} bytes)"
