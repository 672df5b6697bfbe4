"""s3proxy (Maven Central) on 127.0.0.1 with its file-system store: the benchmark's second S3 server, beside
moto's. Both keep the rules the merge relies on (5 MiB parts, ranges copied as asked, If-None-Match on the
completion); s3proxy is in Java and stores objects as files, so that a completion costs what writing the object
to disk costs, where moto re-reads and checksums every byte in Python (docs/s3.md).

The jar comes from Maven Central into .cache/s3proxy on first use."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import servers
from s3_server import KEY

VERSION = "4.1.0"
START_SECONDS = 60


def jar() -> Path:
    return servers.maven_jar("org.gaul", "s3proxy", VERSION, "jar-with-dependencies")


@contextlib.contextmanager
def running(*buckets: str) -> Iterator[str]:
    """A server with ``buckets``, storing its objects in a temporary folder, for the length of the block; yields
    its endpoint."""
    import boto3

    port = servers.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="sparkmerge-s3proxy-") as work:
        store = Path(work) / "store"
        store.mkdir()
        properties = Path(work) / "s3proxy.conf"
        properties.write_text(
            f"s3proxy.endpoint={endpoint}\ns3proxy.authorization=aws-v2-or-v4\n"
            f"s3proxy.identity={KEY}\ns3proxy.credential={KEY}\njclouds.provider=filesystem\n"
            f"jclouds.identity={KEY}\njclouds.credential={KEY}\njclouds.filesystem.basedir={store}\n"
        )
        with open(Path(work) / "s3proxy.log", "w+") as log:
            server = subprocess.Popen(
                ["java", "-Xmx2g", "-jar", str(jar()), "--properties", str(properties)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                servers.wait_until_answers(server, port, log, "s3proxy", START_SECONDS)
                s3 = boto3.client(
                    "s3",
                    endpoint_url=endpoint,
                    region_name="us-east-1",
                    aws_access_key_id=KEY,
                    aws_secret_access_key=KEY,
                )
                for bucket in buckets:
                    s3.create_bucket(Bucket=bucket)
                yield endpoint
            finally:
                servers.stop(server)
