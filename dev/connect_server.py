"""A Spark Connect server on 127.0.0.1, in a JVM of its own, started with spark-submit as a cluster starts one,
with the engine jar on it: for the tests and the benchmark of Spark Connect. pyspark 4 ships the server; for
pyspark 3.5 its jar (spark-connect_2.12, shaded) comes from Maven Central into .cache/ on first use.

    python dev/connect_server.py

Prints ``sc://127.0.0.1:PORT`` once the server answers, then serves until its standard input ends.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

import servers

START_SECONDS = 180


def command(port: int, *conf: str, jar: bool = True, extra_jars: Sequence[str] = ()) -> list[str]:
    """spark-submit of the installed pyspark, running the Connect server with the engine jar (or without, to
    see what a client is told then), and ``extra_jars`` as a server started with them has them."""
    import pyspark

    import sparkmerge
    from sparkmerge._jar import CATALOG_CLASS, CATALOG_CONF

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    spark_4 = pyspark.__version__.startswith("4.")
    jars = ([sparkmerge.jar_path()] if jar else []) + list(extra_jars)
    if not spark_4:
        jars.append(str(servers.maven_jar("org.apache.spark", "spark-connect_2.12", pyspark.__version__)))
    settings = {
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
        "spark.ui.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
    }
    if jar and spark_4:  # procedures came with Spark 4
        settings[CATALOG_CONF] = CATALOG_CLASS
    confs = [a for key, value in settings.items() for a in ("--conf", f"{key}={value}")]
    confs += [a for entry in conf for a in ("--conf", entry)]
    return [
        str(submit),
        "--master",
        "local[2]",
        *(("--jars", ",".join(jars)) if jars else ()),
        *confs,
        "--class",
        "org.apache.spark.sql.connect.service.SparkConnectServer",
        "spark-internal",
    ]


@contextlib.contextmanager
def running(*conf: str, jar: bool = True, extra_jars: Sequence[str] = ()) -> Iterator[str]:
    """A server for the length of the block, with extra ``key=value`` settings, with the jar or without (and
    ``extra_jars``); yields its ``sc://`` address.
    Its log goes to a temporary file, shown if it does not start."""
    port = servers.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSPARK_", "SPARK_"))}
    with tempfile.NamedTemporaryFile("w+", prefix="sparkmerge-connect-", suffix=".log") as log:
        server = subprocess.Popen(
            command(port, *conf, jar=jar, extra_jars=extra_jars),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            servers.wait_until_answers(server, port, log, "the Spark Connect server", START_SECONDS)
            yield f"sc://127.0.0.1:{port}"
        finally:
            servers.stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with running() as address:
        print(address, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
