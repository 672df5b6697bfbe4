"""sparkmerge: one file out of a Spark job.

Spark writes a directory of ``part-*`` files; sparkmerge merges them into the one file asked for, on the
Hadoop FileSystem from the driver's JVM, without pulling the data through Python::

    from pyspark.sql import SparkSession
    import sparkmerge

    spark = sparkmerge.configure(SparkSession.builder).getOrCreate()
    sparkmerge.write_single(df, "out/report.csv", header=True)
    sparkmerge.merge(spark, "out/job-output", "out/job-output.csv", header=True)
"""

from __future__ import annotations

from ._jar import configure, jar_path
from .errors import (
    EmptySourceError,
    HeaderMismatchError,
    InvalidLayoutError,
    InvalidOptionError,
    JarNotLoadedError,
    MergeFailedError,
    SourceNotFoundError,
    SparkConnectError,
    SparkMergeError,
    TargetExistsError,
    UnsupportedFormatError,
)
from .merge import merge
from .result import MergeResult, MergeResults
from .writer import write_single

__all__ = [
    "configure",
    "jar_path",
    "merge",
    "write_single",
    "MergeResult",
    "MergeResults",
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
    "__version__",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sparkmerge")
    except PackageNotFoundError:
        return "unknown"


__version__ = _version()
