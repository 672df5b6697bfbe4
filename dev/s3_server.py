"""A real S3 server on 127.0.0.1 (moto's), for the tests, `make demo S3=1` and the benchmark.

    python dev/s3_server.py [--port N] [--bucket NAME ...]

Prints ``http://127.0.0.1:PORT`` on its first line once the buckets exist, then serves until its standard input
ends or it is stopped: a test run that dies takes its server with it. moto keeps S3's rules that matter here:
parts of a multipart upload under 5 MiB (but the last) are refused, and ranges are copied as asked.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

import boto3
from moto.server import ThreadedMotoServer

KEY = "sparkmerge"  # moto takes any credentials; the tests and the demo use these


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
            resp["body"] = body.replace(old.encode(), new.encode()) if isinstance(body, bytes) else body.replace(old, new)
        return resp

    serializer._serialized_result_to_response = renamed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--bucket", action="append", default=[], help="a bucket to create (repeatable)")
    args = parser.parse_args()

    _complete_as_s3_answers()
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
