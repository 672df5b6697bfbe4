"""One local SparkSession with the built engine jar, shared by every test, and the checks the tests share."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

import pytest
from pyspark.sql import Row, SparkSession

import sparkmerge

ROOT = Path(__file__).resolve().parent.parent
# dev/mini_hdfs.py, the mini HDFS that tests/test_hdfs.py and the benchmark share.
sys.path.insert(0, str(ROOT / "dev"))


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    from s3_server import s3a_jars, test_classpath_jars  # from dev/, on the path above

    try:
        jar = sparkmerge.jar_path()
    except sparkmerge.JarNotLoadedError as missing:
        pytest.exit(f"the engine jar is not built: {missing}", returncode=3)
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("sparkmerge-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        # S3A on the driver's own classpath, as a cluster has it: the S3 tests reach a loopback server through it.
        # Spark's external Avro module too, as a session started with it has it (tests/test_avro.py), Google's
        # GCS connector, as Dataproc's sessions have it (tests/test_gcs.py), and Hadoop's ABFS connector, as Azure's
        # clusters have it (tests/test_azure.py).
        .config(
            "spark.driver.extraClassPath",
            ":".join(s3a_jars() + test_classpath_jars("/spark-avro_", "/gcs-connector-", "/hadoop-azure-")),
        )
    )
    session = sparkmerge.configure(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    assert jar in session.sparkContext.getConf().get("spark.jars", "")
    yield session
    session.stop()


@contextlib.contextmanager
def hadoop_settings(spark: SparkSession, settings: Mapping[str, str]) -> Iterator[None]:
    """The session's Hadoop configuration with ``settings`` for the length of the block, unset after."""
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
    for key, value in settings.items():
        conf.set(key, value)
    try:
        yield
    finally:
        for key in settings:
            conf.unset(key)


def remote_session(address: str) -> SparkSession:
    """A client of the server at ``address``, beside the tests' classic session in this process (which
    ``SparkSession.builder.remote`` refuses to start next to)."""
    from pyspark.sql.connect.session import SparkSession as RemoteSparkSession

    return RemoteSparkSession.builder.remote(address).create()  # type: ignore[return-value]


@pytest.fixture(scope="session")
def connect() -> Iterator[SparkSession]:
    """A client of one real Spark Connect server with the jar, on 127.0.0.1, for every test that needs one;
    the server has Spark's external Avro module, as the classic session has."""
    import connect_server  # from dev/, on the path above
    from s3_server import test_classpath_jars

    with connect_server.running(extra_jars=test_classpath_jars("/spark-avro_")) as address:
        session = remote_session(address)
        yield session
        session.stop()


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under root, with the files' bytes: compare before and after to see that
    nothing changed (directories map to None)."""
    found: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            found[os.path.relpath(os.path.join(dirpath, name), root)] = None
        for name in filenames:
            path = os.path.join(dirpath, name)
            found[os.path.relpath(path, root)] = Path(path).read_bytes()
    return found


def to_utc(value: Any) -> Any:
    """A value pyarrow or DuckDB read of Parquet or ORC, its datetimes as naive UTC (INT96 timestamps read
    back naive, in UTC)."""
    if isinstance(value, dict):
        return {k: to_utc(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_utc(v) for v in value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def from_spark(value: Any) -> Any:
    """A value Spark collected, as pyarrow's to_pylist gives it: structs as dicts, maps as lists of pairs,
    datetimes (in this process's local time) as naive UTC, binary as bytes."""
    if isinstance(value, Row):
        return {k: from_spark(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return [(from_spark(k), from_spark(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [from_spark(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(value, bytearray):
        return bytes(value)
    return value


def data_parts(directory: Path) -> list[Path]:
    """The data files Spark wrote in a directory, in task order (Spark pads task numbers to 5 digits)."""
    return sorted(p for p in directory.iterdir() if p.name.startswith("part-") and p.is_file())


def python_env(**extra: str) -> dict[str, str]:
    """This process's environment without Spark's settings (PYSPARK_*, SPARK_*), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSPARK_", "SPARK_"))}
    return {**env, **extra}


def run_python(
    *args: str, cwd: Path, timeout: float = 180, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh interpreter of this venv (so with a JVM of its own), and what it printed;
    ``env`` by default :func:`python_env`."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=dict(env) if env is not None else python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Hdfs:
    """The mini HDFS at ``uri``, read and written through the test session's own Hadoop client."""

    def __init__(self, spark: SparkSession, uri: str) -> None:
        self.uri = uri
        self._jvm: Any = spark._jvm
        conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        self._fs = self._jvm.org.apache.hadoop.fs.FileSystem.get(self._jvm.java.net.URI(uri), conf)

    def _path(self, path: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def read(self, path: str) -> bytes:
        stream = self._fs.open(self._path(path))
        try:
            return bytes(stream.readAllBytes())
        finally:
            stream.close()

    def write(self, path: str, data: bytes, overwrite: bool = False) -> None:
        stream = self._fs.create(self._path(path), overwrite)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def checksum(self, path: str) -> str:
        """HDFS's checksum of a file (of its blocks' checksums): the same for the same bytes and block size."""
        return str(self._fs.getFileChecksum(self._path(path)).toString())

    def checksum_of(self, data: bytes, path: str) -> str:
        """The checksum ``data`` has, written at ``path``."""
        self.write(path, data, overwrite=True)
        return self.checksum(path)

    def home(self) -> str:
        """The directory a path without a leading slash is relative to on this HDFS."""
        return str(self._fs.getHomeDirectory().toString())

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._path(path)))

    def listing(self, directory: str) -> list[str]:
        return sorted(status.getPath().getName() for status in self._fs.listStatus(self._path(directory)))

    def parts(self, directory: str) -> list[str]:
        """The data files Spark wrote in a directory, in task order."""
        return [f"{directory}/{name}" for name in self.listing(directory) if name.startswith("part-")]

    def snapshot(self, directory: str) -> dict[str, bytes]:
        """Every file under directory with its bytes: compare before and after to see that nothing changed."""
        found = {}
        files = self._fs.listFiles(self._path(directory), True)
        while files.hasNext():
            path = files.next().getPath().toString()
            found[path] = self.read(path)
        return found


@pytest.fixture(scope="session")
def hdfs(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hdfs]:
    import mini_hdfs  # from dev/, on the path above

    try:
        with mini_hdfs.running(tmp_path_factory.mktemp("mini-hdfs")) as uri:
            # The writers' side of the cluster: one replica, and file closes that do not wait 400 ms for the
            # block report (HDFS client settings only, harmless to the other tests of the session).
            conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
            conf.set("dfs.replication", "1")
            conf.set("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "5")
            yield Hdfs(spark, uri)
    except mini_hdfs.MiniHdfsError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def root(hdfs: Hdfs, request: pytest.FixtureRequest) -> str:
    """A directory of the test's own on the mini HDFS (not created)."""
    return f"{hdfs.uri}/{request.node.name}"


class S3:
    """The loopback S3 server, read and listed with boto3, as a user would check what a merge left there."""

    bucket = "sparkmerge-py"

    def __init__(self, endpoint: str) -> None:
        import boto3

        import s3_server

        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=s3_server.KEY,
            aws_secret_access_key=s3_server.KEY,
        )

    def url(self, key: str) -> str:
        return f"s3a://{self.bucket}/{key}"

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)

    def get(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def keys(self, prefix: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(entry["Key"] for entry in listed.get("Contents", []))

    def uploads(self, prefix: str) -> list[str]:
        """The multipart uploads under way below ``prefix``: a merge leaves none, whatever happened."""
        listed = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix)
        return [upload["Key"] for upload in listed.get("Uploads", [])]


@pytest.fixture(scope="session")
def s3(spark: SparkSession) -> Iterator[S3]:
    import s3_server  # from dev/, on the path above

    with s3_server.running(S3.bucket) as endpoint:
        conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        for key, value in s3_server.s3a_settings(endpoint).items():
            conf.set(key, value)
        yield S3(endpoint)


class Gcs:
    """The loopback GCS server, read and listed through its JSON API, as a user would check what a merge left
    there."""

    bucket = "sparkmerge-py"

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def url(self, name: str) -> str:
        return f"gs://{self.bucket}/{name}"

    def _object(self, name: str) -> str:
        from urllib.parse import quote

        return f"{self.endpoint}/storage/v1/b/{self.bucket}/o/{quote(name, safe='')}"

    def put(self, name: str, data: bytes) -> None:
        from urllib.parse import quote
        from urllib.request import Request, urlopen

        address = f"{self.endpoint}/upload/storage/v1/b/{self.bucket}/o?uploadType=media&name={quote(name)}"
        with urlopen(Request(address, data=data, method="POST"), timeout=60) as answer:
            answer.read()

    def get(self, name: str) -> bytes:
        from urllib.request import urlopen

        with urlopen(f"{self._object(name)}?alt=media", timeout=60) as answer:
            return bytes(answer.read())

    def delete(self, name: str) -> None:
        from urllib.request import Request, urlopen

        with urlopen(Request(self._object(name), method="DELETE"), timeout=60) as answer:
            answer.read()

    def names(self, prefix: str) -> list[str]:
        import json
        from urllib.parse import quote
        from urllib.request import urlopen

        found: list[str] = []
        token = ""
        for _ in range(1000):  # pages of 1,000: more than any test makes
            address = f"{self.endpoint}/storage/v1/b/{self.bucket}/o?prefix={quote(prefix)}&maxResults=1000"
            with urlopen(address + (f"&pageToken={quote(token)}" if token else ""), timeout=60) as answer:
                page = json.loads(answer.read())
            found += [item["name"] for item in page.get("items", [])]
            token = page.get("nextPageToken", "")
            if not token:
                break
        return sorted(found)


@pytest.fixture(scope="session")
def gcs(spark: SparkSession) -> Iterator[Gcs]:
    import gcs_server  # from dev/, on the path above

    with gcs_server.running(Gcs.bucket) as endpoint:
        conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        for key, value in gcs_server.connector_settings(endpoint).items():
            conf.set(key, value)
        yield Gcs(endpoint)


class Azure:
    """Azurite's blob service on loopback, reached through Hadoop's ABFS connector: its files read and listed
    through Hadoop's FileSystem, as a user's session would check what a merge left there. The connector reaches
    Azurite through ``gate`` (dev/http_gate.py), which a test may have hold requests at a moment it chooses."""

    container = "sparkmerge-py"

    def __init__(self, spark: SparkSession, server: str, gate: Any) -> None:
        import azurite

        self.server = server
        self.gate = gate
        self.root = f"abfs://{self.container}@{azurite.HOST}"
        self._jvm: Any = spark._jvm
        conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        self._fs = self._jvm.org.apache.hadoop.fs.FileSystem.get(self._jvm.java.net.URI(self.root), conf)

    def url(self, name: str) -> str:
        return f"{self.root}/{name}"

    def _path(self, name: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(self.url(name))

    def put(self, name: str, data: bytes) -> None:
        stream = self._fs.create(self._path(name), True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def get(self, name: str) -> bytes:
        stream = self._fs.open(self._path(name))
        try:
            return bytes(stream.readAllBytes())
        finally:
            stream.close()

    def delete(self, name: str) -> None:
        self._fs.delete(self._path(name), False)

    def put_blob(self, name: str, data: bytes) -> None:
        """Writes the blob ``name`` in one Put Blob straight to Azurite, past the gate: another client's write."""
        import azurite

        url = f"{self.server}/{azurite.ACCOUNT}/{self.container}/{name}"
        azurite.call("PUT", url, {"x-ms-blob-type": "BlockBlob"}, data)

    def names(self, prefix: str) -> list[str]:
        """The files below the directory ``prefix``, by their names from the container's root (directories, which
        the connector keeps as empty marker blobs, left out). Azurite lists a folder's sub-folders before its blobs,
        not in name order, and the connector then gives some twice: each name is listed once."""
        found = set()
        if self._fs.exists(self._path(prefix)):
            files = self._fs.listFiles(self._path(prefix), True)
            while files.hasNext():
                found.add(str(files.next().getPath().toUri().getPath()).lstrip("/"))
        return sorted(found)

    def blocks(self, name: str) -> int:
        """How many blocks the blob ``name`` is made of, asked of Azurite itself."""
        import xml.etree.ElementTree as ElementTree

        import azurite

        answer = azurite.call(
            "GET",
            f"{self.server}/{azurite.ACCOUNT}/{self.container}/{name}?comp=blocklist&blocklisttype=committed",
        )
        return len(ElementTree.fromstring(answer).findall("./CommittedBlocks/Block"))


@pytest.fixture(scope="session")
def azure(spark: SparkSession) -> Iterator[Azure]:
    import azurite  # from dev/, on the path above
    from http_gate import Gate

    with azurite.running(Azure.container) as server, Gate(int(server.rsplit(":", 1)[1])) as gate:
        conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        for key, value in azurite.connector_settings(f"http://{gate.endpoint}").items():
            conf.set(key, value)
        yield Azure(spark, server, gate)
