"""Azure Blob Storage on Azurite (dev/azurite.py, through Hadoop's ABFS connector over the Blob endpoint): the blocks
the store stages from the parts against the copy through this JVM, and write_single against coalesce(1) and the plain
parallel write, all to abfs://, in one run; and the bytes that go through the driver.

The bench is bench/gcs.py's, on another store: the same steps, figures and table. The merges take turns, the
staged blocks (Put Block From URL, then Put Block List) and the copy through the JVM
(``sparkmerge.azure.server-side=false``), on the same parts: 1 GiB in 32 parts and in 1,000 parts, written by
Spark's parallel write (to local disk, then uploaded as they are). Every time is the median of --runs runs. Before
them, untimed, one merge of each way runs in a second container, which the connector reaches through a relay that
counts the bytes on its connections, and by Hadoop's FileSystem statistics of abfs://. Azurite fetches a staged
block's source from itself, on its own port: those bytes never reach the relay, as on Azure they never leave the
service. Results: a table on stdout, JSON and Markdown in bench/results/azurite.*::

    make bench-azure                                # 1 GiB, 2 runs each
    .venv/bin/python bench/azure.py --gb 0.1 --runs 1
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import session
from gcs import BUCKET, WIRE, Connector, Upload, measure, parse_args, save
from relay import Relay
from run import machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dev"))
import azurite  # noqa: E402  (dev/ is not a package)
from s3_server import test_classpath_jars  # noqa: E402

QUIET = "org.apache.hadoop.fs.azurebfs.utils.DateTimeUtils"


def connector(jar: str) -> Connector:
    """The ABFS connector of ``jar`` (hadoop-azure-<version>.jar), to an Azurite container."""
    version = Path(jar).stem.rsplit("-", 1)[-1]
    return Connector(
        root=lambda container: f"abfs://{container}@{azurite.HOST}",
        # The connector signs the path, not the host: through the relay, the Host header names the relay, and so
        # does the source URL of every staged block, as Azurite asks of a Put Block From URL.
        endpoint=lambda url: {"fs.azure.abfs.endpoint": urlsplit(url).netloc},
        server_side="sparkmerge.azure.server-side",
        # Hadoop's FileSystem statistics of the scheme, which every instance of the connector counts in.
        statistics="abfs",
        counters=("bytesRead", "bytesWritten"),
        # A blob's read: a GET of a path in the container (a listing names the container, without a slash).
        download=lambda container: f"GET /{azurite.ACCOUNT}/{container}/".encode(),
        scheme="abfs://",
        server=f"Azurite {azurite.VERSION} on 127.0.0.1 through Hadoop's ABFS connector (hadoop-azure {version}, "
        "the Blob endpoint)",
        caveat="Azurite is not Azure: on Azure a staged block is copied inside the service, from the source blob, "
        "while Azurite reads and writes every byte of it, on the same 2 cores and disk as Spark.",
        copies="staged blocks",
        counted="Hadoop's FileSystem statistics of abfs://, its streams' bytes read + written",
        target_for="where every part is worth a block of its own (256 KiB or more)",
    )


def azurite_upload(endpoint: str) -> Upload:
    """One blob in one Put Blob, signed with the account's key."""

    def upload(container: str, name: str, data: bytes) -> None:
        url = f"{endpoint}/{azurite.ACCOUNT}/{container}/{quote(name)}"
        azurite.call("PUT", url, {"x-ms-blob-type": "BlockBlob"}, data)

    return upload


def main() -> None:
    args = parse_args(__doc__)
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    jars = test_classpath_jars("/hadoop-azure-")
    abfs = connector(jars[0])
    with azurite.running(BUCKET, WIRE) as endpoint:
        relay = Relay(endpoint, abfs.download(WIRE))
        builder = session.builder("sparkmerge-bench-azure").config(
            "spark.driver.extraClassPath", ":".join(jars)
        )
        for key, value in azurite.connector_settings(endpoint).items():
            builder = builder.config(f"spark.hadoop.{key}", value)
        spark = session.start(builder)
        jvm = spark._jvm
        assert jvm is not None
        # hadoop-azure 3.4.2 logs an ERROR ("Failed to parse the date null") for every folder of a listing on
        # Azurite, such as each task's folder of Spark's commit: noise here.
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
            QUIET, jvm.org.apache.logging.log4j.Level.OFF
        )
        results.update(measure(spark, abfs, relay, azurite_upload(endpoint), args))
    save(results, abfs, "azurite")


if __name__ == "__main__":
    main()
