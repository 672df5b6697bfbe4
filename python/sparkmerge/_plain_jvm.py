"""The command line of a JVM of its own for the engine's ``sparkmerge.MergeMain``: a merge needs Hadoop's
FileSystem, not Spark, so the command line starts no SparkSession (it cost seconds before the merge began).

The classpath is Spark's, as the installed pyspark ships it, so that every file system Spark can reach is
reachable here, and ``$HADOOP_CONF_DIR`` goes first, as Spark puts it, for ``core-site.xml`` and ``hdfs-site.xml``.
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
from typing import Sequence

from ._jar import jar_path, spark_jars_dir
from .errors import SparkMergeError

__all__ = ["command", "java_executable", "classpath"]

MAIN_CLASS = "sparkmerge.MergeMain"
#: The log4j2 configuration of that JVM, in this package (see the file for why not in the jar).
LOG_CONFIG = "log4j2-cli.properties"


def command(arguments: Sequence[str]) -> list[str]:
    """``java ... sparkmerge.MergeMain <arguments>``."""
    log_config = importlib.resources.files(__package__) / LOG_CONFIG
    return [
        java_executable(),
        f"-Dlog4j2.configurationFile={log_config}",
        "-cp",
        classpath(),
        MAIN_CLASS,
        *arguments,
    ]


def java_executable() -> str:
    """``$JAVA_HOME/bin/java``, else ``java`` on the PATH: where pyspark's launcher looks."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = os.path.join(java_home, "bin", "java")
        if not os.access(java, os.X_OK):
            raise SparkMergeError(
                f"JAVA_HOME is {java_home}, which has no bin/java: set it to a Java installation"
            )
        return java
    found = shutil.which("java")
    if found is None:
        raise SparkMergeError("no java to run the merge: set JAVA_HOME, or put java on the PATH")
    return found


def classpath() -> str:
    """``$HADOOP_CONF_DIR``, the engine jar for the installed pyspark's Scala line, Spark's jars, and
    ``$SPARK_DIST_CLASSPATH``: a Spark built without Hadoop (as on EMR or Dataproc) finds Hadoop's jars there,
    as Spark's own launcher does."""
    jars = spark_jars_dir()
    if jars is None:
        raise SparkMergeError(
            "no Spark jars to run the merge with: install pyspark (pip install 'sparkmerge[spark]'), "
            "or set SPARK_HOME to a Spark distribution"
        )
    conf = os.environ.get("HADOOP_CONF_DIR")
    hadoop = os.environ.get("SPARK_DIST_CLASSPATH")
    entries = [conf, jar_path(), os.path.join(jars, "*"), hadoop]
    return os.pathsep.join(entry for entry in entries if entry)
