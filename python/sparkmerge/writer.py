"""Write a DataFrame as one file: Spark writes its parts, the engine merges them into the path asked for."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Sequence, Union

from . import _connect, _jvm
from ._args import PathLike, flag, option_string, path_string, text
from .result import MergeResult, from_json

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["write_single"]

log = logging.getLogger(__name__)


def write_single(
    df: DataFrame,
    path: PathLike,
    format: str = "csv",
    *,
    mode: str = "errorifexists",
    partition_by: Union[str, Sequence[str], None] = None,
    max_records_per_file: int | None = None,
    progress: bool = False,
    **options: Any,
) -> MergeResult:
    """Write ``df`` as ONE file at ``path`` (a file, not a directory), in row order::

        sparkmerge.write_single(df, "out/report.csv", header=True, sep=";")

    On the local file system, the parts of finished tasks are copied into the file while Spark still writes
    the others, so that little is left to merge once the job ends; the session setting
    ``spark.sparkmerge.copyAhead=false`` turns that off (the file is the same either way).

    On a Spark Connect session, the same call goes through the ``sparkmerge`` data source on the server
    (``df.write.format("sparkmerge")``), which needs the jar there, and returns the same result.

    :param format: ``"csv"``, ``"json"``, ``"text"``, ``"parquet"`` or ``"orc"`` (the parts' row groups or
        stripes behind one new footer, none decoded; ``compression`` is the format's, inside the file) or, on
        Spark 4, ``"xml"`` (one
        document, ``rowTag`` required, uncompressed) or ``"avro"`` (the parts' blocks, none decoded; needs
        Spark's external spark-avro module in the session).
    :param mode: ``"errorifexists"`` (or ``"error"``), ``"overwrite"``, or ``"ignore"`` (if ``path`` exists,
        write nothing and return a result with ``files=0`` and ``strategy="skipped"``). ``"append"`` is refused:
        one file cannot be appended to by a Spark job.
    :param progress: draw a progress bar on stderr while the parts are merged (Spark shows its own while
        it writes them). On Spark Connect the merge runs in the server, which logs its progress.
    :param options: the format's writer options, as for ``df.write.options(...)`` (``header=True``,
        ``sep=";"``, ``compression="gzip"``, ...); an option set to None is left out. ``bom=True`` (csv, text)
        puts UTF-8's byte-order mark first, once, before the header: Excel reads the file as UTF-8 only then.
    :param partition_by: a column or a list of columns: one whole file per value, at the path the value fills
        in, ``write_single(df, "exports/{country}/recs.csv", partition_by="country")``. The columns leave the
        rows, as with Spark's ``partitionBy``; each value goes into the path as Spark writes it in a directory
        name (``/`` as ``%2F``, a null as ``__HIVE_DEFAULT_PARTITION__``), and a dot that starts a name of the
        path as ``%2E`` (``..`` gives ``%2E.``), so no value leaves its folder. Returns a :class:`MergeResults`.
    :param max_records_per_file: numbered files of at most this many rows, each with the header, in row
        order: ``"exports/recs-{n}.csv"`` gives ``recs-00001.csv``, ``recs-00002.csv``, ... (per value, with
        ``partition_by``). The DataFrame is read twice (counted, then written): cache it if that is costly.
        With many files, ``mode="errorifexists"`` refuses before any is published if one exists,
        ``"overwrite"`` replaces the files it writes and leaves others alone, ``"ignore"`` skips the values
        whose file exists.
    :raises UnsupportedFormatError: for any other format but the seven above (delta, iceberg, ...).
    :raises InvalidOptionError: for ``mode="append"`` or a mode Spark does not know (also a ``ValueError``).
    :raises SparkMergeError: or one of its subclasses, with a one-line message naming the path.
    """
    target = path_string(path, "path")
    progress = flag(progress, "progress")
    fmt = text(format, "format")
    save_mode = text(mode, "mode")
    string_options = {key: option_string(value, key) for key, value in options.items() if value is not None}
    columns = _columns(partition_by)
    if max_records_per_file is not None:
        if isinstance(max_records_per_file, bool) or not isinstance(max_records_per_file, int):
            raise TypeError(f"max_records_per_file must be an int, not {max_records_per_file!r}")
        string_options["maxRecordsPerFile"] = str(max_records_per_file)
    if _jvm.is_spark_connect(df):
        return _connect.write_single(df, target, fmt, save_mode, string_options, columns)
    if not hasattr(df, "_jdf"):
        raise TypeError(f"df must be a pyspark.sql.DataFrame, not {type(df).__name__}")
    spark = df.sparkSession
    answer = _jvm.call(
        spark,
        "write",
        df._jdf,
        target,
        fmt,
        save_mode,
        _jvm.java_string_map(spark, string_options),
        _jvm.java_string_list(spark, columns),
        progress=progress,
    )
    result = from_json(json.loads(str(answer)))
    log.debug("%s (%s, mode %s)", result, fmt, save_mode)
    return result


def _columns(partition_by: Union[str, Sequence[str], None]) -> list[str]:
    if partition_by is None:
        return []
    columns = [partition_by] if isinstance(partition_by, str) else list(partition_by)
    if not all(isinstance(c, str) and c for c in columns):
        raise TypeError(f"partition_by must be a column name or a list of them, not {partition_by!r}")
    return columns
