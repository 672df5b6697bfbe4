"""The benchmark's results as a Markdown table (for docs/benchmarks.md) and a PNG chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any


# The ways' names, as bench/run.py records them and the table prints them.
NOOP = "the data alone, written nowhere (noop)"
WHILE = "write_single"
AFTER = "write_single, merging only after the job"
WAYS = ("coalesce(1)", "repartition(1)", "parallel write (a directory)", WHILE, AFTER)


def targets(r: dict[str, Any]) -> list[tuple[str, float, str, bool]]:
    """The issue's targets: (what, measured, wanted, met)."""
    spark, merge, small = r["spark"], r["merge"], r["small_parts"]
    count = r["args"]["small_parts"]
    single = spark["write_single"]["seconds"]
    rows = [
        (
            "merge throughput vs cat",
            merge["merge_vs_cat_throughput"],
            ">= 0.95",
            merge["merge_vs_cat_throughput"] >= 0.95,
        ),
        (
            "write_single speed-up vs coalesce(1)",
            spark["coalesce(1)"]["seconds"] / single,
            ">= 1.35",
            spark["coalesce(1)"]["seconds"] / single >= 1.35,
        ),
        (
            "write_single speed-up vs repartition(1)",
            spark["repartition(1)"]["seconds"] / single,
            ">= 2",
            spark["repartition(1)"]["seconds"] / single >= 2,
        ),
    ]
    parallel = spark["parallel write (a directory)"]["seconds"]
    added = (single - parallel) / parallel
    rows.append(("time write_single adds / parallel write", added, "<= 0.10", added <= 0.10))
    rows.append(
        (
            f"{count:,} small parts: merge vs cat",
            small["merge_vs_cat_throughput"],
            ">= 0.8",
            small["merge_vs_cat_throughput"] >= 0.8,
        )
    )
    if r.get("memory"):
        low, high = r["memory"][0], r["memory"][-1]
        growth = high["peak_rss_mib"] / low["peak_rss_mib"]
        rows.append(
            (
                f"peak RSS {high['bytes'] / 2**30:.0f} GiB / {low['bytes'] / 2**30:.0f} GiB",
                growth,
                "~1 (flat)",
                growth < 1.2,
            )
        )
    return rows


def table(r: dict[str, Any]) -> str:
    m, spark = r["machine"], r["spark"]
    mib = spark["bytes"] / 2**20
    base = spark["coalesce(1)"]["seconds"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['java']}, Python {m['python']}; "
        f"Spark {r['master']}; median of {r['args']['runs']} runs after a warm-up.",
        "",
        f"**One {mib:.0f} MiB CSV out of Spark** ({r['args']['partitions']} partitions)",
        "",
        "| how | seconds | vs coalesce(1) |",
        "|---|---:|---:|",
    ]
    for name in WAYS:
        seconds = spark[name]["seconds"]
        lines.append(f"| {name} | {seconds:.2f} | {base / seconds:.2f}x |")
        if "merge_seconds" in spark[name]:
            lines.append(f"| of which the merge after the job | {spark[name]['merge_seconds']:.2f} | |")
    if NOOP in spark:
        lines.append(f"| for scale: {NOOP} | {spark[NOOP]['seconds']:.2f} | |")
    lines += [
        "",
        "**Merging the same parts: sparkmerge against cat** "
        f"(page cache warm; median of {len(r['merge']['merge_runs'])} runs)",
        "",
        "| parts | MiB | merge s | of which checking checksums | cat s | merge throughput / cat |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in ("merge", "small_parts"):
        x = r[key]
        unchecked = x.get("unchecked_seconds")
        if unchecked is None:
            check = "no .crc files"
        elif unchecked > x["merge_seconds"]:
            # The merge without the check came out slower: the check cost less than the runs vary.
            check = f"within the noise ({unchecked:.2f} s without)"
        else:
            check = f"{x['merge_seconds'] - unchecked:.2f}"
        lines.append(
            f"| {x['files']:,} | {x['bytes'] / 2**20:.0f} | {x['merge_seconds']:.2f} | {check} | "
            f"{x['cat_seconds']:.2f} | {x['merge_vs_cat_throughput']:.2f} |"
        )
    if r.get("memory"):
        lines += [
            "",
            "**Memory**: the command-line merge in its own JVM, heap capped at 256 MiB",
            "",
            "| GiB merged | seconds | peak RSS MiB |",
            "|---:|---:|---:|",
        ]
        for x in r["memory"]:
            lines.append(f"| {x['bytes'] / 2**30:.2f} | {x['seconds']:.1f} | {x['peak_rss_mib']:.0f} |")
    if r.get("hdfs"):
        lines += ["", "**Mini HDFS: concat against copy**", "", hdfs_table(r["hdfs"])]
    lines += ["", "**Targets**", "", "| target | measured | wanted | met |", "|---|---:|---:|:---:|"]
    for what, value, wanted, met in targets(r):
        lines.append(f"| {what} | {value:.2f} | {wanted} | {'yes' if met else 'no'} |")
    bound = spark["repartition(1)"]["seconds"] / spark["parallel write (a directory)"]["seconds"]
    lines += [
        "",
        f"The parallel write alone is {bound:.2f}x faster than repartition(1) in this run: no way that starts "
        "from it can be faster than that.",
    ]
    return "\n".join(lines) + "\n"


def hdfs_table(h: dict[str, Any]) -> str:
    if "markdown" in h:
        return str(h["markdown"])
    rows = h.get("rows", [])
    if not rows:
        return "(no figures)"
    keys = list(rows[0])
    out = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    out += ["| " + " | ".join(_cell(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(out)


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def chart(r: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spark = r["spark"]
    seconds = [spark[n]["seconds"] for n in WAYS]
    merge = [spark[n].get("merge_seconds", 0.0) for n in WAYS]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    labels = [
        "coalesce(1)",
        "repartition(1)",
        "parallel write\n(a directory)",
        "write_single\n(one file)",
        "write_single,\nmerging after the job",
    ]
    left.barh(labels, [s - m for s, m in zip(seconds, merge)], color="#4c72b0", label="Spark job")
    left.barh(
        labels,
        merge,
        left=[s - m for s, m in zip(seconds, merge)],
        color="#dd8452",
        label="merge after the job",
    )
    left.invert_yaxis()
    left.set_xlim(0, max(seconds) * 1.35)  # room for the legend beside the bars
    left.set_xlabel("seconds (lower is better)")
    left.set_title(f"One {spark['bytes'] / 2**20:.0f} MiB CSV out of Spark, {r['master']}")
    left.legend(loc="lower right")
    for i, s in enumerate(seconds):
        left.text(s, i, f" {s:.1f} s", va="center")
    groups = [("parts", r["merge"]), (f"{r['args']['small_parts']:,} small parts", r["small_parts"])]
    x = range(len(groups))
    right.bar(
        [i - 0.2 for i in x],
        [g["merge_seconds"] for _, g in groups],
        0.4,
        label="sparkmerge",
        color="#dd8452",
    )
    right.bar([i + 0.2 for i in x], [g["cat_seconds"] for _, g in groups], 0.4, label="cat", color="#8c8c8c")
    right.set_xticks(list(x), [f"{n}\n{g['bytes'] / 2**20:.0f} MiB" for n, g in groups])
    right.set_ylabel("seconds")
    right.set_title("Merging the same parts")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
