"""The bridge: find the engine in the driver's JVM, call it, and turn its exceptions into Python ones.

The engine class is loaded through the JVM thread's context class loader, as graphframes does, so that a
session started without the jar fails with one clear :class:`JarNotLoadedError` instead of a py4j error.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ._jar import check_scala_line, jar_path, running_scala_binary
from .errors import JarNotLoadedError, SparkConnectError, SparkMergeError, from_jvm, is_engine

if TYPE_CHECKING:
    from py4j.java_gateway import JavaObject
    from pyspark.sql import SparkSession

__all__ = ["is_spark_connect", "require_classic", "python_api", "call", "java_string_map"]

ENGINE_CLASS = "sparkmerge.PythonAPI"
CONNECT_MODULE = "pyspark.sql.connect"
#: How far down a Java exception's causes to look for an engine exception wrapped by something else.
MAX_CAUSE_DEPTH = 8
#: The sessions whose engine jar was found of their Scala line: a class load and a properties read, once each.
_LINE_CHECKED: "weakref.WeakSet[Any]" = weakref.WeakSet()


def is_spark_connect(obj: object) -> bool:
    """True for a Spark Connect session or DataFrame: a client of a remote driver, with no JVM of its own."""
    return type(obj).__module__.startswith(CONNECT_MODULE)


def require_classic(obj: object, what: str) -> None:
    """Refuse a Spark Connect object before anything touches ``_jvm`` (which it does not have)."""
    if is_spark_connect(obj):
        raise SparkConnectError(
            f"{what} is a Spark Connect {type(obj).__name__}, which has no JVM driver for sparkmerge to run in: "
            "use a classic SparkSession with a JVM driver (on Databricks: a cluster in a classic access mode, "
            "dedicated or single user, not serverless)"
        )


def python_api(spark: SparkSession) -> JavaObject:
    """A new ``sparkmerge.PythonAPI`` in the JVM of ``spark``, or :class:`JarNotLoadedError`."""
    from py4j.protocol import Py4JJavaError

    require_classic(spark, "the session")
    jvm = _jvm_of(spark)
    loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
    try:
        engine = loader.loadClass(ENGINE_CLASS)
    except Py4JJavaError as error:
        if _simple_name(error.java_exception) in ("ClassNotFoundException", "NoClassDefFoundError"):
            raise JarNotLoadedError(_not_loaded_message(jvm)) from None
        raise translate(error) from None
    # A jar of the other Scala line loads, then fails deep inside a merge: refuse it before anything runs.
    if spark not in _LINE_CHECKED:
        check_scala_line(spark, engine)
        _LINE_CHECKED.add(spark)
    try:
        return engine.newInstance()
    except Py4JJavaError as error:
        raise translate(error) from None


def call(spark: SparkSession, method: str, *args: Any, progress: bool = False) -> Any:
    """``PythonAPI.<method>(*args)`` in the JVM of ``spark``; Java exceptions come out as SparkMergeError.
    With ``progress``, a progress bar on stderr follows the merge's counters while it runs."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors.exceptions.captured import CapturedException

    from ._progress import with_progress_bar

    api = python_api(spark)
    try:
        if progress:
            return with_progress_bar(api.progress(), lambda: getattr(api, method)(*args))
        return getattr(api, method)(*args)
    except (Py4JJavaError, CapturedException) as error:
        # pyspark turns some Java exceptions (AnalysisException, ...) into its own before they reach us.
        raise translate(error) from None


def java_string_map(spark: SparkSession, values: Mapping[str, str]) -> JavaObject:
    """A ``java.util.HashMap<String, String>`` in the JVM of ``spark`` with the given entries."""
    java_map = _jvm_of(spark).java.util.HashMap()
    for key, value in values.items():
        java_map.put(key, value)
    return java_map


def java_string_list(spark: SparkSession, values: Sequence[str]) -> JavaObject:
    """A ``java.util.ArrayList<String>`` in the JVM of ``spark`` with the given values, in order."""
    java_list = _jvm_of(spark).java.util.ArrayList()
    for value in values:
        java_list.add(value)
    return java_list


def _jvm_of(spark: SparkSession) -> Any:
    jvm = spark._jvm
    if jvm is None:
        raise SparkMergeError("the Spark session has no JVM gateway: it was stopped, start a new one")
    return jvm


def translate(error: Any) -> SparkMergeError:
    """The Python exception for a ``Py4JJavaError`` (or a Java exception pyspark already captured): the engine's
    own class if the Java exception or one of its causes is an engine exception, else a plain SparkMergeError
    naming the Java class. The Java stack trace is kept on it, not shown."""
    top = getattr(error, "java_exception", None) or getattr(error, "_origin", None)
    trace = _trace(error)
    if top is None:  # captured by pyspark without the Java object (a Python worker's error)
        message = getattr(error, "_desc", None) or getattr(error, "desc", None) or error
        return from_jvm(type(error).__name__, str(message), java_trace=trace)
    cause = top
    for _ in range(MAX_CAUSE_DEPTH):
        if cause is None:
            break
        if is_engine(_simple_name(cause), _class_name(cause)):
            return _from_java_object(cause, trace)
        cause = cause.getCause()
    return _from_java_object(top, trace)


def _from_java_object(java_exception: Any, trace: str) -> SparkMergeError:
    message = java_exception.getMessage()
    return from_jvm(
        _simple_name(java_exception),
        str(message) if message is not None else None,
        java_class=_class_name(java_exception),
        java_trace=trace,
    )


def _simple_name(java_exception: Any) -> str:
    return str(java_exception.getClass().getSimpleName())


def _class_name(java_exception: Any) -> str:
    return str(java_exception.getClass().getName())


def _trace(error: Any) -> str:
    # pyspark 4 keeps the captured Java trace in _stackTrace, pyspark 3.5 in stackTrace.
    captured = getattr(error, "_stackTrace", None) or getattr(error, "stackTrace", None)
    if captured:
        return str(captured)
    try:
        return str(error)
    except Exception:  # the trace is a courtesy: never let it hide the error itself
        return repr(error)


def _not_loaded_message(jvm: Any) -> str:
    try:
        jar = jar_path(running_scala_binary(jvm))
    except JarNotLoadedError as missing:
        return f"the sparkmerge jar is not loaded in this Spark session, and {missing}"
    return (
        "the sparkmerge jar is not loaded in this Spark session: build the session with "
        "sparkmerge.configure(SparkSession.builder) before it starts, or start it with "
        f"--jars {jar}, or set spark.jars to it"
    )
