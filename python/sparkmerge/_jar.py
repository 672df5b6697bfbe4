"""Where the engine jar is, and how a SparkSession builder is told to load it."""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
from typing import TYPE_CHECKING, Any, Optional

from .errors import JarNotLoadedError

if TYPE_CHECKING:
    from py4j.java_gateway import JavaObject
    from pyspark.sql import SparkSession

__all__ = [
    "jar_path",
    "configure",
    "spark_jars_dir",
    "scala_binary_version",
    "running_scala_binary",
    "check_scala_line",
]

JARS_PACKAGE_DIR = "jars"

#: The Scala line each Spark major version is built with, as pip's pyspark ships it.
SCALA_FOR_SPARK_MAJOR = {"3": "2.12", "4": "2.13"}
#: What the build wrote into each engine jar, beside the engine class: its version and the Scala and Spark it
#: was built for (build.sbt, resourceGenerators).
BUILD_PROPERTIES = "build.properties"
#: The session setting that names the catalog of sparkmerge's SQL procedures, and its class (Spark 4 only).
CATALOG_CONF = "spark.sql.catalog.sparkmerge"
CATALOG_CLASS = "sparkmerge.sql.Procedures"


def spark_jars_dir() -> Optional[str]:
    """The folder of Spark's own jars (Scala, Hadoop's client, ...) for the installed pyspark: ``pyspark/jars``
    as pip installs it, else ``$SPARK_HOME/jars`` for a pyspark that comes with a Spark distribution (EMR,
    Databricks), whose package has no jars of its own. Found without importing pyspark, which is slow."""
    spec = importlib.util.find_spec("pyspark")
    candidates = (
        [os.path.join(folder, "jars") for folder in (spec.submodule_search_locations or [])] if spec else []
    )
    if os.environ.get("SPARK_HOME"):
        candidates.append(os.path.join(os.environ["SPARK_HOME"], "jars"))
    return next((folder for folder in candidates if os.path.isdir(folder)), None)


def scala_binary_version() -> str:
    """The Scala binary version ("2.13") of the installed pyspark: its jars name the line they were built for."""
    jars = spark_jars_dir()
    if jars is not None:
        for name in os.listdir(jars):
            if name.startswith("scala-library-") and name.endswith(".jar"):
                return ".".join(name[len("scala-library-") : -len(".jar")].split(".")[:2])
    try:
        import pyspark
    except ImportError:
        return SCALA_FOR_SPARK_MAJOR["4"]
    return SCALA_FOR_SPARK_MAJOR.get(pyspark.__version__.split(".")[0], SCALA_FOR_SPARK_MAJOR["4"])


def jar_path(scala_binary: Optional[str] = None) -> str:
    """The absolute path of the engine jar bundled in this package, for Scala ``scala_binary`` (by default the
    line of the installed pyspark). Pass it to ``--jars`` or ``spark.jars``, or let :func:`configure` do it."""
    scala = scala_binary or scala_binary_version()
    folder = importlib.resources.files(__package__) / JARS_PACKAGE_DIR
    pattern = f"sparkmerge_{scala}-*.jar"
    found = sorted(
        str(entry)
        for entry in (folder.iterdir() if folder.is_dir() else [])
        if entry.name.startswith(f"sparkmerge_{scala}-") and entry.name.endswith(".jar")
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise JarNotLoadedError(
            f"no {pattern} in {folder}: run `make build` in a checkout, or reinstall sparkmerge"
        )
    raise JarNotLoadedError(
        f"several {pattern} in {folder} ({', '.join(os.path.basename(f) for f in found)}): "
        "run `make build` in a checkout, or reinstall sparkmerge"
    )


def configure(builder: SparkSession.Builder) -> SparkSession.Builder:
    """Add the engine jar to ``spark.jars`` of a builder, keeping the jars already set there, and on Spark 4
    the catalog of the ``CALL sparkmerge.system.merge`` procedure (``spark.sql.catalog.sparkmerge``)::

        spark = sparkmerge.configure(SparkSession.builder.appName("job")).getOrCreate()

    It must run before the session (and its JVM) starts: a running JVM does not pick up new ``spark.jars``.
    """
    from pyspark.sql import SparkSession

    if not isinstance(builder, SparkSession.Builder):
        raise TypeError(
            f"configure() takes a SparkSession.Builder such as SparkSession.builder, not {type(builder).__name__}"
        )
    jar = jar_path()
    current = str(builder._options.get("spark.jars") or "")
    jars = [entry.strip() for entry in current.split(",") if entry.strip()]
    if jar not in jars:
        jars.append(jar)
    builder = builder.config("spark.jars", ",".join(jars))
    # Spark 4's procedures: CALL sparkmerge.system.merge(...) from SQL, and merge() on Spark Connect.
    if scala_binary_version() == SCALA_FOR_SPARK_MAJOR["4"] and not builder._options.get(CATALOG_CONF):
        builder = builder.config(CATALOG_CONF, CATALOG_CLASS)
    return builder


def running_scala_binary(jvm: Any) -> str:
    """The Scala binary version ("2.12") of a running Spark driver JVM."""
    return _binary(str(jvm.scala.util.Properties.versionNumberString()))


def check_scala_line(spark: SparkSession, engine: JavaObject) -> None:
    """Refuse the engine class ``engine`` (a ``java.lang.Class`` loaded in ``spark``'s JVM) when its jar was built
    for the other Scala line than the JVM runs: its classes would load, then fail deep inside a merge with a
    ``NoClassDefFoundError`` or ``NoSuchMethodError`` (or kill the py4j connection). A jar built before the build
    recorded its line is let through: there is nothing to compare."""
    jvm: Any = spark._jvm  # not None: the engine class was just loaded through it
    built = _built_for(jvm, engine)
    line = built.get("scala.binary.version")
    if not line:
        return
    running = str(jvm.scala.util.Properties.versionNumberString())
    if _binary(running) == line:
        return
    wanted = f"sparkmerge_{_binary(running)}-{built.get('version', '<version>')}.jar"
    try:
        hint = f"--jars {jar_path(_binary(running))}"
    except JarNotLoadedError:
        hint = f"--jars /path/to/{wanted}"
    location = _location(engine)
    raise JarNotLoadedError(
        f"the sparkmerge jar in this Spark session{f' ({location})' if location else ''} is built for "
        f"Scala {line} (Spark {built.get('spark.version', '?')}), but the session runs Spark {spark.version} "
        f"on Scala {running}: use {wanted}. Build the session with sparkmerge.configure(SparkSession.builder) "
        f"(it picks the jar of the installed pyspark), or start it with {hint}, instead of the jar it has"
    )


def _binary(scala_version: str) -> str:
    return ".".join(scala_version.split(".")[:2])


def _built_for(jvm: Any, engine: JavaObject) -> dict[str, str]:
    stream = engine.getResourceAsStream(BUILD_PROPERTIES)
    if stream is None:
        return {}
    properties = jvm.java.util.Properties()
    try:
        properties.load(stream)
    finally:
        stream.close()
    keys = ("version", "scala.binary.version", "spark.version")
    return {key: str(properties.getProperty(key)) for key in keys if properties.getProperty(key) is not None}


def _location(engine: JavaObject) -> Optional[str]:
    """The jar the class was loaded from, if its class loader says."""
    try:
        return str(engine.getProtectionDomain().getCodeSource().getLocation().getPath())
    except Exception:  # no code source (a class loader that keeps it to itself): the message does without
        return None
