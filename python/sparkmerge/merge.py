"""Merge the part files a Spark job already wrote into one file."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from . import _connect, _jvm
from ._args import PathLike, flag, option_string, path_string, text
from .result import MergeResult, from_json

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["merge"]

log = logging.getLogger(__name__)


def merge(
    spark: SparkSession,
    source: PathLike,
    target: PathLike,
    *,
    header: bool = False,
    overwrite: bool = False,
    delete_source: bool = False,
    progress: bool = False,
    missing_newline: str = "add",
    **options: Any,
) -> MergeResult:
    """Merge the ``part-*`` files of the directory ``source`` into the one file ``target``, in part order.

    The merge runs on the Hadoop FileSystem in the driver's JVM: any path Spark can write (local, HDFS, S3,
    ...) works, and a path without a scheme means what it means to Spark. Side files (``_SUCCESS``, ``.crc``,
    hidden files, ``_temporary``) are left out. On a Spark Connect session (Spark 4), the same merge runs in
    the server's driver through the SQL procedure ``sparkmerge.system.merge``, and returns the same result.

    :param header: every part starts with the same header line (``csv`` with ``header=True``): keep it once.
    :param overwrite: replace an existing ``target``; otherwise it raises :class:`TargetExistsError`.
    :param delete_source: remove ``source`` once ``target`` is in place. On HDFS this lets the parts be
        concatenated in place (no data moves); without it they are copied, since concat consumes them.
    :param progress: draw a progress bar on stderr (a terminal or a notebook) while the merge runs.
    :param missing_newline: where a part's last line has no line break and another part follows, ``"add"``
        one (the default: no line runs into the next part's first) or ``"refuse"`` the merge.
    :param options: how the parts were written, by Spark's CSV option names: ``sep``, ``quote``, ``escape``,
        ``lineSep``, ``encoding``. With ``header=True`` they say where the header record ends (a quoted column
        name may hold a line break); ``lineSep`` also says what a line break is. And ``bom=True``: UTF-8's
        byte-order mark first, once, for Excel (parts that each start with a mark keep the first part's only).
    :raises SparkMergeError: or one of its subclasses, with a one-line message naming the path.

    A ``target`` with partition columns in braces, ``"exports/{country}.csv"``, merges a directory written with
    ``partitionBy`` into one file per partition value (nested ``a=1/b=2/`` too), and returns a
    :class:`MergeResults` that holds each file's result. Without ``overwrite``, every target is checked before
    any is written.
    """
    source_path = path_string(source, "source")
    target_path = path_string(target, "target")
    header = flag(header, "header")
    overwrite = flag(overwrite, "overwrite")
    delete_source = flag(delete_source, "delete_source")
    progress = flag(progress, "progress")
    newline_policy = text(missing_newline, "missing_newline")
    string_options = {key: option_string(value, key) for key, value in options.items() if value is not None}
    if _jvm.is_spark_connect(spark):
        return _connect.merge(
            spark, source_path, target_path, header, overwrite, delete_source, newline_policy, string_options
        )
    if not hasattr(spark, "_jsparkSession"):
        raise TypeError(f"spark must be a SparkSession, not {type(spark).__name__}")
    answer = _jvm.call(
        spark,
        "merge",
        spark._jsparkSession,
        source_path,
        target_path,
        header,
        overwrite,
        delete_source,
        newline_policy,
        _jvm.java_string_map(spark, string_options),
        progress=progress,
    )
    result = from_json(json.loads(str(answer)))
    log.debug("%s (source %s)", result, source_path)
    return result
