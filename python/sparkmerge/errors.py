"""The one exception hierarchy of sparkmerge.

Each ``sparkmerge.*Exception`` the JVM engine throws becomes the ``*Error`` of the same stem here, with the
engine's one-line message (it names the path and the fix). Any other Java exception becomes a plain
:class:`SparkMergeError` whose message is ``"<JavaClass>: <first line>"``; the full Java stack trace is kept on
:attr:`SparkMergeError.java_trace` for whoever needs it, instead of being printed at the user.

That rule is :func:`from_jvm`, the one translator: the classic session (py4j), the Spark Connect client and the
command line each read what the JVM said from their own carrier, and hand it to it.
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = [
    "SparkMergeError",
    "SourceNotFoundError",
    "EmptySourceError",
    "TargetExistsError",
    "HeaderMismatchError",
    "UnsupportedFormatError",
    "InvalidLayoutError",
    "InvalidOptionError",
    "MergeFailedError",
    "JarNotLoadedError",
    "SparkConnectError",
]


class SparkMergeError(Exception):
    """A merge was refused or failed. ``str(error)`` is one line that says what and where."""

    def __init__(
        self, message: str, *, java_class: Optional[str] = None, java_trace: Optional[str] = None
    ) -> None:
        super().__init__(message)
        self.message = message
        #: The fully qualified name of the Java exception behind this error, if there was one.
        self.java_class = java_class
        #: The Java stack trace behind this error, if there was one.
        self.java_trace = java_trace


class SourceNotFoundError(SparkMergeError):
    """The source directory does not exist."""


class EmptySourceError(SparkMergeError):
    """The source directory holds no part file to merge."""


class TargetExistsError(SparkMergeError):
    """The target exists and neither ``overwrite`` nor ``mode="overwrite"``/``"ignore"`` was asked for."""


class HeaderMismatchError(SparkMergeError):
    """With ``header=True``, the parts do not all start with the same header line."""


class UnsupportedFormatError(SparkMergeError):
    """The parts cannot be joined into one valid file (damaged Parquet or ORC, an unknown codec)."""


class InvalidLayoutError(SparkMergeError):
    """The paths do not fit together: sub-directories in the source, a target inside the source."""


class InvalidOptionError(SparkMergeError, ValueError):
    """An option has a value sparkmerge cannot take: ``mode="append"``, an unknown mode. Also a ``ValueError``,
    which is what Python code expects of a bad argument value."""


class MergeFailedError(SparkMergeError):
    """The file system failed during the merge; the target and the sources are as they were."""


class JarNotLoadedError(SparkMergeError):
    """The sparkmerge jar is missing from the package or not on the Spark driver's class path."""


class SparkConnectError(SparkMergeError):
    """A Spark Connect session cannot do what was asked: ``merge()`` on a Spark 3.5 server, which has no SQL
    procedures (``write_single`` works there)."""


#: The package of the engine's exceptions (``sparkmerge.SparkMergeException`` and its subclasses).
ENGINE_PACKAGE = "sparkmerge."
#: The Java exception's simple class name -> the Python class it becomes.
JAVA_EXCEPTIONS: dict[str, type[SparkMergeError]] = {
    "SourceNotFoundException": SourceNotFoundError,
    "EmptySourceException": EmptySourceError,
    "TargetExistsException": TargetExistsError,
    "HeaderMismatchException": HeaderMismatchError,
    "UnsupportedFormatException": UnsupportedFormatError,
    "InvalidLayoutException": InvalidLayoutError,
    "InvalidOptionException": InvalidOptionError,
    "MergeFailedException": MergeFailedError,
}


def first_line(message: str) -> str:
    """The first line of a message, cut at a line break as the JVM writes one (``\\n``, ``\\r``) and nowhere
    else: a value the message quotes may hold any other Unicode line separator."""
    return re.split(r"[\r\n]", message.strip(), maxsplit=1)[0].strip()


def from_jvm(
    simple_name: str,
    message: Optional[str],
    *,
    java_class: Optional[str] = None,
    java_trace: Optional[str] = None,
) -> SparkMergeError:
    """The Python exception for a Java exception, whichever door it came through: each door only reads the
    simple class name, the message and, where its carrier has them, the full class name and the trace. An
    engine exception becomes its own class with its first line; any other a plain :class:`SparkMergeError`
    that names the Java class."""
    text = first_line(message or "")
    if is_engine(simple_name, java_class):
        return JAVA_EXCEPTIONS[simple_name](text or simple_name, java_class=java_class, java_trace=java_trace)
    # An exception without a message (or whose message is its name) is told by its class name alone.
    said = simple_name if text in ("", simple_name) else f"{simple_name}: {text}"
    return SparkMergeError(said, java_class=java_class, java_trace=java_trace)


def is_engine(simple_name: str, java_class: Optional[str] = None) -> bool:
    """Whether a Java exception is one of the engine's own: by its simple name, and by its package where the
    full name is known, so that another library's ``InvalidOptionException`` stays what it is."""
    return simple_name in JAVA_EXCEPTIONS and java_class in (None, ENGINE_PACKAGE + simple_name)
