"""The engine from a Spark Connect client, which has no JVM of its own: ``write_single`` goes through the
``sparkmerge`` data source and ``merge`` through the SQL procedure ``sparkmerge.system.merge``, both running
in the server's driver; the result comes back as rows, and the server's errors as the same Python classes.

Nothing here imports py4j: a client installed as ``pyspark-client`` has none.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from ._jar import CATALOG_CLASS, CATALOG_CONF
from .errors import (
    ENGINE_PACKAGE,
    JarNotLoadedError,
    SparkConnectError,
    SparkMergeError,
    first_line,
    from_jvm,
    is_engine,
)
from .result import MergeResult, from_rows

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["write_single", "merge", "translate"]

SOURCE = "sparkmerge"
#: The data source's option for the save mode by write_single's own words, which the engine checks.
SAVE_MODE_OPTION = "saveMode"
#: How the server names an engine exception in the message of the error the client raises: "(class) message".
ENGINE_ERROR = re.compile(r"\(sparkmerge\.(\w+)\)\s*(.*)")
#: ... or in the causes of a server stack trace.
ENGINE_CAUSE = re.compile(r"Caused by: sparkmerge\.(\w+): (.*)")
#: Spark's error classes for a server that does not have the jar.
NOT_LOADED = ("DATA_SOURCE_NOT_FOUND", "CATALOG_NOT_FOUND", "CATALOG_PLUGIN_CLASS_NOT_FOUND")


def write_single(
    df: DataFrame,
    target: str,
    fmt: str,
    mode: str,
    options: Mapping[str, str],
    partition_by: Sequence[str],
) -> MergeResult:
    """``df.write.format("sparkmerge")`` on the server, then its results read back under an id of this call."""
    result_id = uuid.uuid4().hex
    writer = (
        df.write.format(SOURCE)
        .option(SAVE_MODE_OPTION, mode)
        .option("format", fmt)
        .option("result", result_id)
    )
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    with _translated():
        writer.options(**options).save(target)
        rows = df.sparkSession.read.format(SOURCE).option("result", result_id).load().collect()
    return from_rows([row.asDict() for row in rows], target)


def merge(
    spark: SparkSession,
    source: str,
    target: str,
    header: bool,
    overwrite: bool,
    delete_source: bool,
    missing_newline: str,
    options: Mapping[str, str],
) -> MergeResult:
    """``CALL sparkmerge.system.merge(...)`` on the server."""
    if str(spark.version).startswith("3."):
        raise SparkConnectError(
            f"merge({source!r}) on a Spark Connect session calls the SQL procedure sparkmerge.system.merge, and "
            f"procedures came with Spark 4.0; this server runs Spark {spark.version}: merge from a classic "
            "session, or write the file with write_single, which works on Spark Connect 3.5 too"
        )
    _register_catalog(spark)
    arguments = {
        "source": _sql_string(source),
        "target": _sql_string(target),
        "header": _sql_bool(header),
        "overwrite": _sql_bool(overwrite),
        "delete_source": _sql_bool(delete_source),
        "missing_newline": _sql_string(missing_newline),
        "options": f"map({', '.join(_sql_string(t) for pair in options.items() for t in pair)})",
    }
    # Every argument given, as literals: Spark 4.0 fails to bind a CALL with parameter markers ("number of args
    # and params must match after binding").
    named = ", ".join(f"{name} => {value}" for name, value in arguments.items())
    with _translated():
        rows = spark.sql(f"CALL sparkmerge.system.merge({named})").collect()
    return from_rows([row.asDict() for row in rows], target)


def _sql_string(value: str) -> str:
    """A string as a SQL literal that no quote, backslash or setting of Spark's string escapes can change."""
    return f"CAST(X'{value.encode('utf-8').hex()}' AS STRING)"


def _sql_bool(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def _register_catalog(spark: SparkSession) -> None:
    """The procedure's catalog is a session setting: set it where the server was not started with it."""
    with _translated():
        if not spark.conf.get(CATALOG_CONF, None):
            spark.conf.set(CATALOG_CONF, CATALOG_CLASS)


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    """Turns the errors of a Connect call into SparkMergeError and its subclasses, as on a classic session."""
    from pyspark.errors import PySparkException

    try:
        yield
    except PySparkException as error:
        raise translate(error) from None


def translate(error: Any) -> SparkMergeError:
    """The Python exception for an error a Spark Connect server sent: the engine's own class where the server
    names an engine exception, :class:`JarNotLoadedError` where it cannot find the data source or the catalog,
    else a plain SparkMergeError with the error's first line. The server's trace is kept, not shown."""
    message = str(error).strip()
    trace = str(getattr(error, "_stacktrace", None) or "") or None
    for found in (ENGINE_ERROR.search(first_line(message)), ENGINE_CAUSE.search(trace or "")):
        if found and is_engine(found.group(1)):
            name = found.group(1)
            return from_jvm(name, found.group(2), java_class=ENGINE_PACKAGE + name, java_trace=trace)
    # Spark 3.5's client keeps the error class only in the message: "[DATA_SOURCE_NOT_FOUND] ...".
    error_class = _error_class(error) or next((c for c in NOT_LOADED if f"[{c}]" in message), "")
    if error_class in NOT_LOADED or CATALOG_CLASS in message:
        return JarNotLoadedError(_not_loaded_message(error_class), java_trace=trace)
    # pyspark names the error by the Java exception's simple name (AnalysisException, ...), or by its own.
    return from_jvm(type(error).__name__, message, java_trace=trace)


def _error_class(error: Any) -> str:
    try:
        return str(error.getCondition() if hasattr(error, "getCondition") else error.getErrorClass() or "")
    except Exception:  # an error without Spark's error class: none to go by
        return ""


def _not_loaded_message(error_class: str) -> str:
    from ._jar import jar_path

    try:
        jar = jar_path()
    except JarNotLoadedError:
        jar = "sparkmerge_2.13-<version>.jar"
    return (
        f"the sparkmerge jar is not loaded on the Spark Connect server ({error_class or 'no data source'}): "
        f"start the server with --jars {jar} (a copy of it where the server runs), or spark.jars, and "
        f"--conf {CATALOG_CONF}={CATALOG_CLASS} for merge()"
    )
