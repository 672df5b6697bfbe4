"""Write a DataFrame as one file: Spark writes its parts, the engine merges them into the path asked for."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from . import _jvm
from ._args import PathLike, flag, option_string, path_string
from .errors import UnsupportedFormatError
from .result import MergeResult

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["write_single", "FORMATS", "MODES"]

log = logging.getLogger(__name__)

#: Formats whose part files concatenate into one valid file.
FORMATS = ("csv", "json", "text")
#: Save modes, with the aliases Spark accepts, and what the engine is told.
MODES = {
    "errorifexists": "errorifexists",
    "error": "errorifexists",
    "overwrite": "overwrite",
    "ignore": "ignore",
}
#: Formats with a footer or a file header of their own: their parts cannot be concatenated.
COLUMNAR = ("parquet", "orc", "avro")


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

    :param format: ``"csv"``, ``"json"`` or ``"text"``.
    :param mode: ``"errorifexists"`` (or ``"error"``), ``"overwrite"``, or ``"ignore"`` (if ``path`` exists,
        write nothing and return a result with ``files=0`` and ``strategy="skipped"``). ``"append"`` is refused:
        one file cannot be appended to by a Spark job.
    :param progress: draw a progress bar on stderr while the parts are merged (Spark shows its own while
        it writes them).
    :param options: the format's writer options, as for ``df.write.options(...)`` (``header=True``,
        ``sep=";"``, ``compression="gzip"``, ...); an option set to None is left out.
    :raises UnsupportedFormatError: for Parquet, ORC, Avro and any other format but the three above.
    :raises SparkMergeError: or one of its subclasses, with a one-line message naming the path.
    """
    target = path_string(path, "path")
    progress = flag(progress, "progress")
    fmt = _format(format)
    save_mode = _mode(mode)
    string_options = {key: option_string(value, key) for key, value in options.items() if value is not None}
    _jvm.require_classic(df, "df")
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
    log.info("%s (%s, mode %s)", result, fmt, save_mode)
    return result


def _format(format: Any) -> str:
    if not isinstance(format, str):
        raise TypeError(f"format must be a str, not {type(format).__name__}")
    fmt = format.strip().lower()
    if fmt in FORMATS:
        return fmt
    kind = "columnar format" if fmt in COLUMNAR else "format"
    raise UnsupportedFormatError(
        f"write_single cannot write {format!r}: {kind} part files cannot be concatenated into one valid file "
        f"(it writes {', '.join(FORMATS)}); use df.coalesce(1).write.format({fmt!r}).save(...), or keep the "
        "directory"
    )


def _mode(mode: Any) -> str:
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str, not {type(mode).__name__}")
    key = mode.strip().lower()
    if key == "append":
        raise ValueError(
            "write_single does not append: a single file cannot take a second job's rows; write a new file, "
            "or union the DataFrames and overwrite"
        )
    if key not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return MODES[key]
