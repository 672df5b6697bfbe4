"""The local Spark session the benchmarks start from: local[2], no UI, the engine's jar loaded."""

from __future__ import annotations

from pyspark.sql import SparkSession

import sparkmerge


def builder(app: str, memory: str = "4g") -> SparkSession.Builder:
    """The common settings; each benchmark adds its own before `start`."""
    return (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", memory)
    )


def start(configured: SparkSession.Builder) -> SparkSession:
    spark = sparkmerge.configure(configured).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark
