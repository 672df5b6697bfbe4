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
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote
from urllib.request import Request, urlopen

from pyspark.sql import DataFrame, SparkSession

import sparkmerge
import session
from relay import Relay
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
WAYS = ("server-side", "copy")


@dataclass(frozen=True)
class Connector:
    """A store's connector, as the parts of this bench that serve any store see it (bench/azure.py runs them on
    Azure): a bucket's URI, the settings that send the connector to another endpoint, the setting that turns the
    store's own copies off, the connector's counters, and the words the table says of them."""

    #: A bucket's URI, without a slash after it.
    root: Callable[[str], str]
    #: The settings that send the connector to the endpoint given (``http://127.0.0.1:PORT``).
    endpoint: Callable[[str], dict[str, str]]
    #: The Hadoop setting that turns the store's own copies off, with "false".
    server_side: str
    #: The connector's counters among Hadoop's GlobalStorageStatistics, summed over every instance in this JVM:
    #: their name there, and the names of the bytes its streams read and wrote.
    statistics: str
    counters: tuple[str, str]
    #: What a request that reads an object's bytes begins with, on the relay's connections to ``bucket``.
    download: Callable[[str], bytes]
    #: The table's words: the URI scheme, the server and connector, why the server's figures are not the store's,
    #: the store's own copies, what the counters count, and which merges the target is for.
    scheme: str
    server: str
    caveat: str
    copies: str
    counted: str
    target_for: str


GCS = Connector(
    root=lambda bucket: f"gs://{bucket}",
    endpoint=lambda url: {"fs.gs.storage.root.url": url},
    server_side="sparkmerge.gcs.server-side",
    statistics="GhfsStorageStatistics",
    counters=("stream_read_bytes", "stream_write_bytes"),
    download=lambda bucket: b"GET /download/",
    scheme="gs://",
    server="dev/gcs-server (fake-gcs-server) on 127.0.0.1 through Google's GCS connector",
    caveat="A loopback server is not GCS: on GCS a compose copies no bytes and takes about the same time whatever "
    "the size, while this fake reads and writes every byte of it, on the same 2 cores and disk as Spark.",
    copies="composes",
    counted="its streams' bytes read + written",
    target_for="where no header is dropped",
)


def parse_args(doc: str | None) -> argparse.Namespace:
    """The bench's options; its description, the first paragraph of ``doc``."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the CSV (default 1 GiB)")
    parser.add_argument("--runs", type=int, default=2, help="runs per figure (default 2)")
    return parser.parse_args()


class Store(S3Store):
    """A bucket of the bench, seen through the session's own connector. With ``endpoint``, its file system is
    made first, and with a configuration of its own that names that endpoint: Hadoop's cache then hands that
    instance to every merge and task of the session, and the copies of its configuration that the engine makes
    (a second instance for small reads) name it too."""

    def __init__(
        self, spark: SparkSession, connector: Connector, bucket: str, endpoint: str | None = None
    ) -> None:
        jvm = spark._jvm
        assert jvm is not None
        self.spark = spark
        self.connector = connector
        self.bucket = bucket
        self.conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[union-attr]
        self._path = jvm.org.apache.hadoop.fs.Path
        own = self.conf
        if endpoint is not None:
            own = jvm.org.apache.hadoop.conf.Configuration(self.conf)
            for key, value in connector.endpoint(endpoint).items():
                own.set(key, value)
        self.fs = self._path(f"{connector.root(bucket)}/").getFileSystem(own)

    def url(self, key: str) -> str:
        return f"{self.connector.root(self.bucket)}/{key}"


def counters(spark: SparkSession, connector: Connector) -> dict[str, int]:
    """The connector's counters of this JVM. On GCS, those a file system's getStorageStatistics() answers lag a
    step behind (they had not yet counted the merge just done, in connector 4.0.4), and getIOStatistics() fails
    on the fake's answers (a NullPointerException on "http_get_404"): the connector's global ones, then."""
    jvm = spark._jvm
    assert jvm is not None
    found = jvm.org.apache.hadoop.fs.GlobalStorageStatistics.INSTANCE.get(connector.statistics)
    return {name: int(found.getLong(name)) if found is not None else 0 for name in connector.counters}


#: Uploads an object: its bucket, its name and its bytes.
Upload = Callable[[str, str, bytes], None]


def gcs_upload(endpoint: str) -> Upload:
    """One object in one call of the JSON API."""

    def upload(bucket: str, name: str, data: bytes) -> None:
        address = f"{endpoint}/upload/storage/v1/b/{bucket}/o?uploadType=media&name={quote(name)}"
        with urlopen(Request(address, data=data, method="POST"), timeout=600) as answer:
            answer.read()

    return upload


def upload_parts(df: DataFrame, upload: Upload, key: str, buckets: tuple[str, ...]) -> None:
    """The parts of Spark's parallel write of ``df``, under ``key`` in each of ``buckets``: written to local disk,
    then uploaded as they are, one call each. Spark's own write to gs:// renames every part twice, which the fake
    does by copying it, and took 4 minutes for 1,000 parts of a quarter GiB in all: most of a run's budget, spent
    on no figure."""
    with tempfile.TemporaryDirectory(prefix="sparkmerge-bench-parts-") as work:
        local = Path(work) / key
        df.write.csv(str(local))
        files = sorted(p for p in local.iterdir() if p.name.startswith("part-"))
        with ThreadPoolExecutor(4) as pool:
            jobs = [(bucket, file) for bucket in buckets for file in files]
            list(pool.map(lambda job: upload(job[0], f"{key}/{job[1].name}", job[1].read_bytes()), jobs))


def moved(spark: SparkSession, connector: Connector, relay: Relay, run: Any) -> tuple[Any, dict[str, int]]:
    """What ``run`` returns, and the bytes it moved: on the relay's connections and in the connector's counters."""
    wire, counted = relay.counts(), counters(spark, connector)
    value = run()
    after_wire, after = relay.counts(), counters(spark, connector)
    found = {
        "wire_up": after_wire[0] - wire[0],
        "wire_down": after_wire[1] - wire[1],
        "downloads": after_wire[2] - wire[2],
        **{name: after[name] - counted[name] for name in connector.counters},
    }
    if found[connector.counters[0]] > 0 and found["downloads"] == 0:
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
            store.conf.set(store.connector.server_side, "true" if way == "server-side" else "false")
            seconds, result[way] = timed(
                lambda: sparkmerge.merge(spark, store.url(parts), store.url("merged.csv"))
            )
            times[way].append(seconds)
            print(f"  {parts}: {way} {seconds:.2f} s ({result[way].strategy}: {result[way].reason})")
    store.conf.unset(store.connector.server_side)
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
        wire.conf.set(wire.connector.server_side, "true" if way == "server-side" else "false")
        result, found[way] = moved(
            spark,
            wire.connector,
            relay,
            lambda: sparkmerge.merge(spark, wire.url(parts), wire.url("merged.csv")),
        )
        found[way].update(data=result.bytes, reason=result.reason)
        print(f"  {parts}, measured: {way} {found[way]}")
    wire.conf.unset(wire.connector.server_side)
    wire.delete("merged.csv")
    if found["copy"]["wire_up"] < found["copy"][wire.connector.counters[1]]:
        raise RuntimeError(f"the relay missed the merges' connections: {found}")
    return found


def measured_write_single(df: DataFrame, wire: Store, relay: Relay) -> dict[str, Any]:
    """write_single through the relay. In local[2] the tasks share this JVM and its connections with the driver:
    what they upload, the parts, is the object's length less its header (a few bytes), and is taken off."""
    result, found = moved(
        wire.spark,
        wire.connector,
        relay,
        lambda: sparkmerge.write_single(df, wire.url("size.csv"), header=True),
    )
    length = wire.length("size.csv")
    wire.delete("size.csv")
    found.update(data=length, reason=result.reason, merge_seconds=result.seconds)
    print(f"  write_single, measured: {found}")
    return found


def through_driver(found: dict[str, Any], connector: Connector, tasks: int = 0) -> dict[str, int]:
    """The bytes through the driver, on the wire and by the connector's counters, less ``tasks``: what Spark's
    tasks uploaded through the same JVM."""
    return {
        "wire": found["wire_up"] + found["wire_down"] - tasks,
        "counters": sum(found[name] for name in connector.counters) - tasks,
    }


def table(results: dict[str, Any], connector: Connector) -> str:
    m = results["machine"]
    mib = results["mib"]
    copies = connector.copies
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB; Spark local[2]; {connector.server}; "
        f"median of {results['args']['runs']} runs.",
        "",
        connector.caveat,
        "",
        f"**Merging the parts of a parallel write, {mib:.0f} MiB** (target on {connector.scheme})",
        "",
        f"| parts | {copies} s | copy through this JVM s | copy / {copies} | the reason says |",
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
        f"(a relay, up + down) and by the connector's counters ({connector.counted}); as a share of the data",
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
        driver = through_driver(found, connector, tasks)
        said = reason_mib(found["reason"])
        lines.append(
            f"| {label} | {driver['wire'] / 2**20:.1f} | {driver['wire'] / found['data']:.1%}"
            f" | {driver['counters'] / 2**20:.1f} | {driver['counters'] / found['data']:.1%}"
            f" | {'not named' if said is None else f'{said:.1f}'} |"
        )
    ways = results["spark"]["median"]
    lines += [
        "",
        f"**One CSV out of Spark, to {connector.scheme}**",
        "",
        "| how | seconds | vs coalesce(1) |",
        "|---|---:|---:|",
    ]
    for way, seconds in ways.items():
        lines.append(f"| {way} | {seconds:.2f} | {ways['coalesce(1)'] / seconds:.2f}x |")
    lines += [
        "",
        f"write_single's merge, the {copies} of its parts and its header: {single['merge_seconds']:.2f} s (its "
        f"measured run: {single['reason']}).",
    ]
    lines += [
        "",
        f"**Target: bytes through the driver <= 1% of the data, {connector.target_for}**",
        "",
        "| merge | on the connections | connector's counters | met (connections) |",
        "|---|---:|---:|:---:|",
    ]
    targets = [
        (f"{int(c):,} parts, {copies}", m["bytes"]["server-side"], 0) for c, m in results["merges"].items()
    ]
    targets.append(("write_single (header=True)", single, single["data"]))
    for label, found, tasks in targets:
        driver = through_driver(found, connector, tasks)
        wire, counters = driver["wire"] / found["data"], driver["counters"] / found["data"]
        lines.append(f"| {label} | {wire:.2%} | {counters:.4%} | {'yes' if wire <= 0.01 else 'no'} |")
    return "\n".join(lines) + "\n"


def measure(
    spark: SparkSession, connector: Connector, relay: Relay, upload: Upload, args: Any
) -> dict[str, Any]:
    """Every figure of the bench, in two buckets of one server, BUCKET and WIRE, which the session reaches through
    ``relay``: the merges of 32 and 1,000 parts, timed in BUCKET and measured in WIRE, then one CSV out of Spark,
    write_single measured and every way timed. The session is stopped and the relay closed after, whatever
    happened."""
    try:
        store = Store(spark, connector, BUCKET)
        wire = Store(spark, connector, WIRE, relay.endpoint)
        demo = load_demo()
        top_n = 10
        users = int(args.gb * 2**30 / BYTES_PER_ROW / top_n)
        results: dict[str, Any] = {"merges": {}}
        for partitions in (32, 1000):
            parts = f"parts-{partitions}"
            df = demo.recommendations(spark, users, top_n, partitions)
            print(f"parts: {partitions} partitions of {users * top_n:,} rows, written by Spark, uploaded")
            upload_parts(df, upload, parts, (BUCKET, WIRE))
            measured = measured_merges(spark, wire, relay, parts)
            results["merges"][str(partitions)] = {**merges(spark, store, parts, args.runs), "bytes": measured}
            for bucket in (store, wire):
                bucket.delete(parts)
        df = demo.recommendations(spark, users, top_n, 32)
        print(f"one CSV out of Spark, to {connector.scheme}")
        results["write_single_bytes"] = measured_write_single(df, wire, relay)
        results["spark"] = spark_ways(df, store, args.runs)
        results["mib"] = results["write_single_bytes"]["data"] / 2**20
        return results
    finally:
        spark.stop()
        relay.close()


def save(results: dict[str, Any], connector: Connector, name: str) -> None:
    """The results as JSON and Markdown, in bench/results/<name>.*, and the table on stdout."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(table(results, connector))
    print(table(results, connector))


def main() -> None:
    args = parse_args(__doc__)
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    with gcs_server.running(BUCKET, WIRE) as endpoint:
        relay = Relay(endpoint, GCS.download(WIRE))
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
        results.update(measure(spark, GCS, relay, gcs_upload(endpoint), args))
    save(results, GCS, "gcs-fake")


if __name__ == "__main__":
    main()
