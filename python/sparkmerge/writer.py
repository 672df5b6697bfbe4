"""Write a DataFrame as one file: Spark writes its parts, the engine merges them into the path asked for."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from . import _connect, _jvm
from ._args import PathLike, flag, option_string, path_string, text
from .result import MergeResult

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

    :param format: ``"csv"``, ``"json"`` or ``"text"``.
    :param mode: ``"errorifexists"`` (or ``"error"``), ``"overwrite"``, or ``"ignore"`` (if ``path`` exists,
        write nothing and return a result with ``files=0`` and ``strategy="skipped"``). ``"append"`` is refused:
        one file cannot be appended to by a Spark job.
    :param progress: draw a progress bar on stderr while the parts are merged (Spark shows its own while
        it writes them). On Spark Connect the merge runs in the server, which logs its progress.
    :param options: the format's writer options, as for ``df.write.options(...)`` (``header=True``,
        ``sep=";"``, ``compression="gzip"``, ...); an option set to None is left out.
    :raises UnsupportedFormatError: for Parquet, ORC, Avro and any other format but the three above.
    :raises InvalidOptionError: for ``mode="append"`` or a mode Spark does not know (also a ``ValueError``).
    :raises SparkMergeError: or one of its subclasses, with a one-line message naming the path.
    """
    target = path_string(path, "path")
    progress = flag(progress, "progress")
    fmt = text(format, "format")
    save_mode = text(mode, "mode")
    string_options = {key: option_string(value, key) for key, value in options.items() if value is not None}
    if _jvm.is_spark_connect(df):
        return _connect.write_single(df, target, fmt, save_mode, string_options)
    if not hasattr(df, "_jdf"):
        raise TypeError(f"df must be a pyspark.sql.DataFrame, not {type(df).__name__}")
    spark = df.sparkSession
    java_result = _jvm.call(
        spark,
        "writeSingle",
        df._jdf,
        target,
        fmt,
        save_mode,
        _jvm.java_string_map(spark, string_options),
        progress=progress,
    )
    result = MergeResult.from_java(java_result)
    log.debug("%s (%s, mode %s)", result, fmt, save_mode)
    return result
