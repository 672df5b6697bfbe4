"""A real S3 server on 127.0.0.1 (moto's), for the tests, `make demo S3=1` and the benchmark.

    python dev/s3_server.py [--port N] [--bucket NAME ...]

Prints ``http://127.0.0.1:PORT`` on its first line once the buckets exist, then serves until its standard input
ends or it is stopped: a test run that dies takes its server with it. moto keeps S3's rules that matter here:
parts of a multipart upload under 5 MiB (but the last) are refused, and ranges are copied as asked.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

KEY = "sparkmerge"  # moto takes any credentials; the tests and the demo use these


def s3a_settings(endpoint: str) -> dict[str, str]:
    """The S3A settings a user would give for this server (``spark.hadoop.`` before each, in Spark)."""
    return {
        "fs.s3a.endpoint": endpoint,
        "fs.s3a.endpoint.region": "us-east-1",
        "fs.s3a.path.style.access": "true",
        "fs.s3a.connection.ssl.enabled": "false",
        "fs.s3a.access.key": KEY,
        "fs.s3a.secret.key": KEY,
        "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3a.bucket.probe": "0",
        "fs.s3a.attempts.maximum": "2",
        "fs.s3a.retry.limit": "2",
    }


def s3a_jars() -> list[str]:
    """hadoop-aws and its AWS SDK at the versions of the installed pyspark's Hadoop (a cluster has its own)."""
    return test_classpath_jars("/hadoop-aws-", "/aws-java-sdk-bundle-", "/awssdk/bundle/")


def test_classpath_jars(*names: str) -> list[str]:
    """The jars whose paths hold one of ``names``, from the test classpath make exports for the installed
    pyspark's Scala line: ``make jvm/target/test-classpath.txt`` (Spark 4) or ``jvm/target/test-classpath-2.12.txt``
    (Spark 3.5)."""
    import pyspark

    line = "" if pyspark.__version__.startswith("4.") else "-2.12"
    listing = Path(__file__).resolve().parent.parent / "jvm" / "target" / f"test-classpath{line}.txt"
    if not listing.exists():
        raise RuntimeError(f"{listing} is missing: make builds it (make test, make demo S3=1)")
    return [entry for entry in listing.read_text().strip().split(":") if any(n in entry for n in names)]


@contextlib.contextmanager
def running(*buckets: str) -> Iterator[str]:
    """A server in a process of its own, with ``buckets``, for the length of the block; yields its endpoint."""
    args = [sys.executable, str(Path(__file__).resolve())] + [a for b in buckets for a in ("--bucket", b)]
    server = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip()
        if not endpoint.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the S3 server did not start (it printed {endpoint!r}); see its errors above")
        yield endpoint
    finally:
        if server.stdin is not None:
            server.stdin.close()  # the end of its input stops it
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def _complete_as_s3_answers() -> None:
    """moto names the root of CompleteMultipartUpload's answer ``CompleteMultipartUploadResponse``; S3 names it
    ``CompleteMultipartUploadResult``, and AWS SDK v1 (Hadoop 3.3's S3A) reads nothing else: every multipart
    upload would fail there with a NullPointerException. The answer is renamed as S3 has it."""
    from moto.core import serialize

    serializer = serialize.S3Serializer
    original = serializer._serialized_result_to_response

    def renamed(self, resp, result, shape, serialized_result):  # type: ignore[no-untyped-def]
        resp = original(self, resp, result, shape, serialized_result)
        if self.operation_model.name == "CompleteMultipartUpload":
            body = resp["body"]
            old, new = "CompleteMultipartUploadResponse", "CompleteMultipartUploadResult"
            resp["body"] = (
                body.replace(old.encode(), new.encode())
                if isinstance(body, bytes)
                else body.replace(old, new)
            )
        return resp

    serializer._serialized_result_to_response = renamed


def _initiated_as_s3_answers() -> None:
    """moto lists every multipart upload as begun on 2010-11-10, so any rule that keys on an upload's age (a
    merge aborts those older than a day) would take a live one for abandoned. Each is listed with the moment it
    began, as S3 lists it."""
    from datetime import datetime, timezone

    from moto.core import serialize
    from moto.s3.models import FakeMultipart

    began: dict[str, str] = {}
    created = FakeMultipart.__init__

    def stamped(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        created(self, *args, **kwargs)
        began[self.id] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    serializer = serialize.S3Serializer
    original = serializer.serialize

    def listed(self, result):  # type: ignore[no-untyped-def]
        if self.operation_model.name == "ListMultipartUploads" and isinstance(result, dict):
            for upload in result.get("Uploads", []):
                upload["Initiated"] = began.get(upload["UploadId"], upload["Initiated"])
        return original(self, result)

    FakeMultipart.__init__ = stamped
    serializer.serialize = listed


def main() -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--bucket", action="append", default=[], help="a bucket to create (repeatable)")
    args = parser.parse_args()

    _complete_as_s3_answers()
    _initiated_as_s3_answers()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request would drown the tests' output
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    port = server._server.server_port  # the port the OS gave, where 0 was asked
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEY, aws_secret_access_key=KEY
    )
    for bucket in args.bucket:
        s3.create_bucket(Bucket=bucket)
    print(endpoint, flush=True)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stopped.set()), daemon=True).start()
    try:
        while not stopped.wait(1.0):  # a timed wait, so that a signal's handler runs at once
            pass
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()
