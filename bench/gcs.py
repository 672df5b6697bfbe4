"""GCS on a loopback server (dev/gcs-server, fake-gcs-server, through Google's connector): the store's composes
against the copy through this JVM, and write_single against coalesce(1) and the plain parallel write, all to gs://,
in one run; and the bytes that go through the driver.

The merges take turns, the composes and the copy through the JVM (``sparkmerge.gcs.server-side=false``), on the
same parts: 1 GiB in 32 parts and in 1,000 parts, written by Spark's parallel write (to local disk, then uploaded
as they are). Every time is the median of --runs runs. Before them, untimed (their warm-up too), one merge of
each way runs in a second bucket, which the connector reaches through a relay that counts the bytes on its
connections: the bytes through the driver, measured there and, beside them, by the connector's own counters of
what its streams read and wrote. write_single is measured the same way. Results: a table on stdout, JSON and
Markdown in bench/results/gcs-fake.*::

    make bench-gcs                                  # 1 GiB, 3 runs each, about 13 minutes
    .venv/bin/python bench/gcs.py --gb 0.25 --runs 1
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import Request, urlopen

from pyspark.sql import DataFrame, SparkSession

import sparkmerge
import session
from run import BYTES_PER_ROW, load_demo, machine
from s3 import Store as S3Store
from s3 import spark_ways, timed

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "dev"))
import gcs_server  # noqa: E402  (dev/ is not a package)
from s3_server import test_classpath_jars  # noqa: E402

BUCKET = "sparkmerge-bench"
#: The bucket of the measured merges: the session's connector reaches it through the relay.
WIRE = "sparkmerge-bench-wire"
SERVER_SIDE = "sparkmerge.gcs.server-side"
ROOT_URL = "fs.gs.storage.root.url"
#: The connector's counters of the bytes its streams read and wrote, summed over every instance in this JVM.
GLOBAL_COUNTERS = "GhfsStorageStatistics"
COUNTERS = ("stream_read_bytes", "stream_write_bytes")
WAYS = ("server-side", "copy")
DOWNLOAD = b"GET /download/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--runs", type=int, default=2, help="runs per figure (default 2)")
    return parser.parse_args()


class Relay:
    """A TCP relay in front of the server that counts the bytes of every connection, each way. What a client
    leaves unread when it drops a connection is counted too, as far as it left the server: on GCS those bytes
    would have crossed the network to the driver all the same. Its own socket buffer towards the client is kept
    small, so that it holds about what a direct connection would, not the megabytes Linux gives loopback. It also
    counts the reads of objects' bytes (the JSON API's downloads) that pass through it."""

    CHUNK = 256 * 1024

    def __init__(self, endpoint: str) -> None:
        self.server_port = int(endpoint.rsplit(":", 1)[1])
        self.up = 0
        self.down = 0
        self.downloads = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def counts(self) -> tuple[int, int, int]:
        with self._lock:
            return self.up, self.down, self.downloads

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.CHUNK)
            server = socket.create_connection(("127.0.0.1", self.server_port))
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, up: bool) -> None:
        buffer = bytearray(self.CHUNK)
        view = memoryview(buffer)
        try:
            while n := source.recv_into(buffer):
                with self._lock:
                    if up:
                        self.up += n
                        # A request's first line comes at the start of a write of the client's: a GET has no body.
                        self.downloads += n > len(DOWNLOAD) and buffer.startswith(DOWNLOAD)
                    else:
                        self.down += n
                sink.sendall(view[:n])
        except OSError:
            pass
        finally:
            # A half close passes on as a half close: closing both ends at once cut answers short, which the
            # connector retried (a compose retried finds its own object and fails the merge).
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass


class Store(S3Store):
    """A bucket of the bench, seen through the session's own connector. With ``endpoint``, its file system is
    made first, and with a configuration of its own that names that endpoint: Hadoop's cache then hands that
    instance to every merge and task of the session, and the copies of its configuration that the engine makes
    (a second instance for small reads) name it too."""

    def __init__(self, spark: SparkSession, bucket: str, endpoint: str | None = None) -> None:
        jvm = spark._jvm
        assert jvm is not None
        self.spark = spark
        self.bucket = bucket
        self.conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        self._path = jvm.org.apache.hadoop.fs.Path
        own = self.conf
        if endpoint is not None:
            own = jvm.org.apache.hadoop.conf.Configuration(self.conf)
            own.set(ROOT_URL, endpoint)
        self.fs = self._path(f"gs://{bucket}/").getFileSystem(own)

    def url(self, key: str) -> str:
        return f"gs://{self.bucket}/{key}"


def counters(spark: SparkSession) -> dict[str, int]:
    """The connector's counters of this JVM. Those a file system's getStorageStatistics() answers lag a step
    behind (they had not yet counted the merge just done, in connector 4.0.4), and getIOStatistics() fails on
    the fake's answers (a NullPointerException on "http_get_404"): the connector's global ones, then."""
    jvm = spark._jvm
    assert jvm is not None
    found = jvm.org.apache.hadoop.fs.GlobalStorageStatistics.INSTANCE.get(GLOBAL_COUNTERS)
    return {name: int(found.getLong(name)) if found is not None else 0 for name in COUNTERS}


def upload_parts(df: DataFrame, endpoint: str, key: str, buckets: tuple[str, ...]) -> None:
    """The parts of Spark's parallel write of ``df``, under ``key`` in each of ``buckets``: written to local disk,
    then uploaded as they are, one call each. Spark's own write to gs:// renames every part twice, which the fake
    does by copying it, and took 4 minutes for 1,000 parts of a quarter GiB in all: most of a run's budget, spent
    on no figure."""
    with tempfile.TemporaryDirectory(prefix="sparkmerge-bench-gcs-") as work:
        local = Path(work) / key
        df.write.csv(str(local))
        files = sorted(p for p in local.iterdir() if p.name.startswith("part-"))

        def upload(job: tuple[str, Path]) -> None:
            bucket, file = job
            address = f"{endpoint}/upload/storage/v1/b/{bucket}/o?uploadType=media&name={quote(f'{key}/{file.name}')}"
            with urlopen(Request(address, data=file.read_bytes(), method="POST"), timeout=600) as answer:
                answer.read()

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(upload, [(bucket, file) for bucket in buckets for file in files]))


def moved(spark: SparkSession, relay: Relay, run: Any) -> tuple[Any, dict[str, int]]:
    """What ``run`` returns, and the bytes it moved: on the relay's connections and in the connector's counters."""
    wire, counted = relay.counts(), counters(spark)
    value = run()
    after_wire, after = relay.counts(), counters(spark)
    found = {
        "wire_up": after_wire[0] - wire[0],
        "wire_down": after_wire[1] - wire[1],
        "downloads": after_wire[2] - wire[2],
        **{name: after[name] - counted[name] for name in COUNTERS},
    }
    if found["stream_read_bytes"] > 0 and found["downloads"] == 0:
        raise RuntimeError(f"the connector read objects by some way around the relay: {found}")
    return value, found


def reason_mib(reason: str) -> float | None:
    found = re.search(r"([0-9.]+) MiB went through this JVM", reason)
    return float(found.group(1)) if found else None


def merges(spark: SparkSession, store: Store, parts: str, runs: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    result: dict[str, sparkmerge.MergeResult] = {}
    for _ in range(runs):
        for way in WAYS:
            store.delete("merged.csv")
            store.conf.set(SERVER_SIDE, "true" if way == "server-side" else "false")
            seconds, result[way] = timed(
                lambda: sparkmerge.merge(spark, store.url(parts), store.url("merged.csv"))
            )
            times[way].append(seconds)
            print(f"  {parts}: {way} {seconds:.2f} s ({result[way].strategy}: {result[way].reason})")
    store.conf.unset(SERVER_SIDE)
    store.delete("merged.csv")
    median = {way: statistics.median(t) for way, t in times.items()}
    return {
        "runs": times,
        "median": median,
        "strategy": {way: r.strategy for way, r in result.items()},
        "reason": {way: r.reason for way, r in result.items()},
        "reason_mib_through_jvm": {way: reason_mib(r.reason) for way, r in result.items()},
        "copy_vs_server_side": median["copy"] / median["server-side"],
    }


def measured_merges(spark: SparkSession, wire: Store, relay: Relay, parts: str) -> dict[str, Any]:
    """One merge of each way in the relay's bucket: the bytes each moves between this JVM and the store. Untimed,
    it is the timed merges' warm-up too: the first merge of a JVM also loads and warms the connector's calls."""
    found: dict[str, Any] = {}
    for way in WAYS:
        wire.delete("merged.csv")
        wire.conf.set(SERVER_SIDE, "true" if way == "server-side" else "false")
        result, found[way] = moved(
            spark, relay, lambda: sparkmerge.merge(spark, wire.url(parts), wire.url("merged.csv"))
        )
        found[way].update(data=result.bytes, reason=result.reason)
        print(f"  {parts}, measured: {way} {found[way]}")
    wire.conf.unset(SERVER_SIDE)
    wire.delete("merged.csv")
    if found["copy"]["wire_up"] < found["copy"]["stream_write_bytes"]:
        raise RuntimeError(f"the relay missed the merges' connections: {found}")
    return found


def measured_write_single(df: DataFrame, wire: Store, relay: Relay) -> dict[str, Any]:
    """write_single through the relay. In local[2] the tasks share this JVM and its connections with the driver:
    what they upload, the parts, is the object's length less its header (a few bytes), and is taken off."""
    result, found = moved(
        wire.spark, relay, lambda: sparkmerge.write_single(df, wire.url("size.csv"), header=True)
    )
    length = wire.length("size.csv")
    wire.delete("size.csv")
    found.update(data=length, reason=result.reason, merge_seconds=result.seconds)
    print(f"  write_single, measured: {found}")
    return found


def through_driver(found: dict[str, Any], tasks: int = 0) -> dict[str, int]:
    """The bytes through the driver, on the wire and by the connector's counters, less ``tasks``: what Spark's
    tasks uploaded through the same JVM."""
    return {
        "wire": found["wire_up"] + found["wire_down"] - tasks,
        "counters": sum(found[name] for name in COUNTERS) - tasks,
    }


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    mib = results["mib"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB; Spark local[2]; dev/gcs-server "
        f"(fake-gcs-server) on 127.0.0.1 through Google's GCS connector; median of {results['args']['runs']} runs.",
        "",
        "A loopback server is not GCS: on GCS a compose copies no bytes and takes about the same time whatever the "
        "size, while this fake reads and writes every byte of it, on the same 2 cores and disk as Spark.",
        "",
        f"**Merging the parts of a parallel write, {mib:.0f} MiB** (target on gs://)",
        "",
        "| parts | composes s | copy through this JVM s | copy / composes | the reason says |",
        "|---:|---:|---:|---:|---|",
    ]
    for count, merge in results["merges"].items():
        lines.append(
            f"| {int(count):,} | {merge['median']['server-side']:.2f} | {merge['median']['copy']:.2f}"
            f" | {merge['copy_vs_server_side']:.1f}x | {merge['reason']['server-side']} |"
        )
    lines += [
        "",
        "**Bytes between the driver's JVM and the store**, one more merge of each, measured: on the connections "
        "(a relay, up + down) and by the connector's counters (its streams' bytes read + written); as a share of "
        "the data",
        "",
        "| what | on the connections, MiB | share | connector's counters, MiB | share "
        "| MiB through this JVM, as the reason says |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    single = results["write_single_bytes"]
    measured = [
        (f"{int(count):,} parts, {way}", merge["bytes"][way], 0)
        for count, merge in results["merges"].items()
        for way in WAYS
    ]
    measured.append(("write_single (header=True), less the parts its tasks uploaded", single, single["data"]))
    for label, found, tasks in measured:
        driver = through_driver(found, tasks)
        said = reason_mib(found["reason"])
        lines.append(
            f"| {label} | {driver['wire'] / 2**20:.1f} | {driver['wire'] / found['data']:.1%}"
            f" | {driver['counters'] / 2**20:.1f} | {driver['counters'] / found['data']:.1%}"
            f" | {'not named' if said is None else f'{said:.1f}'} |"
        )
    ways = results["spark"]["median"]
    lines += [
        "",
        "**One CSV out of Spark, to gs://**",
        "",
        "| how | seconds | vs coalesce(1) |",
        "|---|---:|---:|",
    ]
    for way, seconds in ways.items():
        lines.append(f"| {way} | {seconds:.2f} | {ways['coalesce(1)'] / seconds:.2f}x |")
    lines += [
        "",
        f"write_single's merge, the composes of its parts and its header: {single['merge_seconds']:.2f} s (its "
        f"measured run: {single['reason']}).",
    ]
    lines += [
        "",
        "**Target: bytes through the driver <= 1% of the data, where no header is dropped**",
        "",
        "| merge | on the connections | connector's counters | met (connections) |",
        "|---|---:|---:|:---:|",
    ]
    targets = [
        (f"{int(c):,} parts, composes", m["bytes"]["server-side"], 0) for c, m in results["merges"].items()
    ]
    targets.append(("write_single (header=True)", single, single["data"]))
    for label, found, tasks in targets:
        driver = through_driver(found, tasks)
        wire, counters = driver["wire"] / found["data"], driver["counters"] / found["data"]
        lines.append(f"| {label} | {wire:.2%} | {counters:.4%} | {'yes' if wire <= 0.01 else 'no'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_args()
    demo = load_demo()
    top_n = 10
    users = int(args.gb * 2**30 / BYTES_PER_ROW / top_n)
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    with gcs_server.running(BUCKET, WIRE) as endpoint:
        relay = Relay(endpoint)
        builder = session.builder("sparkmerge-bench-gcs").config(
            "spark.driver.extraClassPath", ":".join(test_classpath_jars("/gcs-connector-"))
        )
        settings = {
            **gcs_server.connector_settings(endpoint),
            # The fake composes and completes an upload by reading and writing every byte: a GiB takes longer
            # than the connector's 5 s for an answer, and the call retried then finds its own object (a 412, or a
            # 404 for the upload).
            "fs.gs.http.read-timeout": "600000",
            # The fake hashes (MD5 and CRC32C) all it has of an upload at every chunk: with the connector's 24 MiB
            # chunks, a GiB cost 22 GiB of hashing, and one stream of a GiB 85 s (a copy through the JVM, and
            # coalesce(1)) where a quarter of it took 10 s. GCS does nothing of the kind; fewer chunks spare the
            # figures most of it. The connector holds a chunk in memory per open stream: two tasks' and the merge's.
            "fs.gs.outputstream.upload.chunk.size": str(256 * 2**20),
        }
        for key, value in settings.items():
            builder = builder.config(f"spark.hadoop.{key}", value)
        spark = session.start(builder)
        try:
            store = Store(spark, BUCKET)
            wire = Store(spark, WIRE, relay.endpoint)
            results["merges"] = {}
            for partitions in (32, 1000):
                parts = f"parts-{partitions}"
                df = demo.recommendations(spark, users, top_n, partitions)
                print(f"parts: {partitions} partitions of {users * top_n:,} rows, written by Spark, uploaded")
                upload_parts(df, endpoint, parts, (BUCKET, WIRE))
                measured = measured_merges(spark, wire, relay, parts)
                results["merges"][str(partitions)] = {
                    **merges(spark, store, parts, args.runs),
                    "bytes": measured,
                }
                for bucket in (store, wire):
                    bucket.delete(parts)
            df = demo.recommendations(spark, users, top_n, 32)
            print("one CSV out of Spark, to gs://")
            results["write_single_bytes"] = measured_write_single(df, wire, relay)
            results["spark"] = spark_ways(df, store, args.runs)
        finally:
            spark.stop()
            relay.close()
    results["mib"] = results["write_single_bytes"]["data"] / 2**20
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gcs-fake.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "gcs-fake.md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
