"""The tests' loopback Azure Blob Storage: Azurite's blob service (Microsoft's emulator, the npm package), reached by
Hadoop's ABFS connector through the Blob endpoint, as an account without a hierarchical namespace is.

Azurite is installed with npm into .cache/azurite on first use, and again when the version asked for changes; npm's
own cache is .cache/npm. It asks for Node 22 and runs on Node 20 (npm warns, EBADENGINE).

The account is Azurite's one, devstoreaccount1, with its well-known key: the same in every copy of Azurite, so no
secret. Its URLs are path-style, ``http://127.0.0.1:PORT/devstoreaccount1/<container>/<blob>``."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import shutil
import subprocess
import tempfile
from email.utils import formatdate
from pathlib import Path
from typing import Iterator, Mapping
from urllib.parse import parse_qsl, unquote, urlsplit
from urllib.request import Request, urlopen

import servers

VERSION = "3.37.0"
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# The host of the account's ABFS URIs. ABFS sends its requests to fs.azure.abfs.endpoint instead: nothing may look
# this name up.
HOST = f"{ACCOUNT}.dfs.core.windows.net"
API_VERSION = "2021-12-02"
INSTALL_SECONDS = 600
START_SECONDS = 60

INSTALLED = servers.CACHE / "azurite"
# The standard headers a Shared Key signs, in its order, each on a line of its own even when absent.
SIGNED_HEADERS = (
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
)
SIGNED_HEADERS += ("if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range")


def program() -> Path:
    """azurite-blob, installed if missing or of another version."""
    if not _installed():
        # Installed beside the target and moved onto it, so that an install cut short leaves no half of one.
        servers.CACHE.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix="azurite.", suffix=".partial", dir=servers.CACHE))
        try:
            subprocess.run(
                ["npm", "install", "--prefix", str(partial), "--cache", str(servers.CACHE / "npm")]
                # No install scripts: Azurite needs none, and they would run code from 450 packages here.
                + ["--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
                + [f"azurite@{VERSION}"],
                check=True,
                timeout=INSTALL_SECONDS,
            )
            if not _installed():  # unless another run installed it meanwhile
                shutil.rmtree(INSTALLED, ignore_errors=True)
                partial.rename(INSTALLED)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return INSTALLED / "node_modules" / ".bin" / "azurite-blob"


def _installed() -> bool:
    manifest = INSTALLED / "node_modules" / "azurite" / "package.json"
    return manifest.exists() and json.loads(manifest.read_text())["version"] == VERSION


@contextlib.contextmanager
def running(*containers: str) -> Iterator[str]:
    """Azurite's blob service with ``containers``, storing its blobs in a temporary folder, for the length of the
    block; yields its endpoint, ``http://127.0.0.1:PORT``."""
    azurite = program()
    port = servers.free_port()
    with tempfile.TemporaryDirectory(prefix="sparkmerge-azurite-") as work:
        with open(Path(work) / "azurite.log", "w+") as log:
            server = subprocess.Popen(
                [str(azurite), "--blobHost", "127.0.0.1", "--blobPort", str(port)]
                # On disk, not in memory: the benchmark writes a GiB.
                + ["--location", str(Path(work) / "store"), "--disableTelemetry", "--silent"]
                # ABFS sends its own x-ms-version, which may be newer than this Azurite knows. (The account is the
                # path's first segment: the Host is an address, so no --disableProductStyleUrl is needed.)
                + ["--skipApiVersionCheck"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                servers.wait_until_answers(server, port, log, "azurite", START_SECONDS)
                endpoint = f"http://127.0.0.1:{port}"
                for container in containers:
                    call("PUT", f"{endpoint}/{ACCOUNT}/{container}?restype=container")
                yield endpoint
            finally:
                servers.stop(server)


def connector_settings(endpoint: str) -> dict[str, str]:
    """The settings of Hadoop's ABFS connector that a user would give for this server (``spark.hadoop.`` before
    each, in Spark): the account's shared key, plain HTTP, and the Blob endpoint, since Azurite has no DFS one."""
    return {
        "fs.azure.abfs.endpoint": urlsplit(endpoint).netloc,
        "fs.azure.always.use.https": "false",
        "fs.azure.account.auth.type": "SharedKey",
        f"fs.azure.account.key.{HOST}": KEY,
        # A flat namespace, spoken over the Blob endpoint (Hadoop 3.4.2's AbfsBlobClient): all Azurite has.
        "fs.azure.account.hns.enabled": "false",
        "fs.azure.fns.account.service.type": "BLOB",
        "fs.azure.ingress.service.type": "BLOB",
        # A failed call is an answer to check, not to retry for half a minute.
        "fs.azure.io.retry.max.retries": "2",
        # Hadoop 3.4 names its manifest committer for abfs://, and Spark's own commit protocol, which knows only
        # FileOutputCommitter's work path, then has its tasks write straight into the output directory (a retried
        # task's file stays beside the first): the classic committer, as for gs://, without spark-hadoop-cloud.
        "mapreduce.outputcommitter.factory.scheme.abfs": (
            "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory"
        ),
    }


def call(method: str, url: str, headers: Mapping[str, str] | None = None, body: bytes = b"") -> bytes:
    """A request signed with the account's shared key; returns the answer's body (an HTTPError if refused)."""
    sent = dict(headers or {})
    if method in ("PUT", "POST"):
        # urllib would add a form's Content-Type to a body, unsigned.
        sent.setdefault("Content-Type", "application/octet-stream")
    request = Request(url, data=body if method in ("PUT", "POST") else None, method=method)
    for name, value in sign(method, url, sent, len(body)).items():
        request.add_header(name, value)
    with urlopen(request, timeout=60) as answer:
        return bytes(answer.read())


def sign(method: str, url: str, headers: dict[str, str], length: int) -> dict[str, str]:
    """``headers`` with x-ms-date, x-ms-version and the Shared Key Authorization of the request."""
    signed = {"x-ms-date": formatdate(usegmt=True), "x-ms-version": API_VERSION, **headers}
    lower = {k.lower(): v for k, v in signed.items()}
    # Since 2015-02-21 a length of 0 is signed as an empty line.
    lower["content-length"] = str(length) if length else ""
    parts = urlsplit(url)
    query = sorted((k.lower(), v) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    text = "\n".join(
        [method]
        + [lower.get(name, "") for name in SIGNED_HEADERS]
        + [f"{k}:{lower[k]}" for k in sorted(lower) if k.startswith("x-ms-")]
        + [f"/{ACCOUNT}{unquote(parts.path)}" + "".join(f"\n{k}:{v}" for k, v in query)]
    )
    digest = hmac.new(base64.b64decode(KEY), text.encode(), hashlib.sha256).digest()
    return {**signed, "Authorization": f"SharedKey {ACCOUNT}:{base64.b64encode(digest).decode()}"}
