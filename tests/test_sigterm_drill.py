"""SIGTERM, as YARN, systemd and `timeout` send it, at moments spread over the life of a command-line merge: the
shutdown hook removes what the merge made, and the exit code says whether the result was printed. Also what
the command line cleans after a kill, and two processes racing for one target.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import python_env, run_python
from drills import WAIT_SECONDS, hidden_in, merge_jvm

from sparkmerge._plain_jvm import command

#: Rounds the SIGTERM drill adds when every round, or none, was stopped: each later, or earlier, than the last.
EXTRA_ROUNDS = 4


def big_source(directory: Path) -> Path:
    """About 300 MiB in 12 parts: a merge that lasts long enough to be stopped half way."""
    directory.mkdir()
    for i in range(12):
        (directory / f"part-{i:05d}.csv").write_bytes(b"0123456789,abcdef\n" * 1_500_000)
    return directory


def under_way(run: subprocess.Popen[bytes], directory: Path) -> bool:
    """Waits until the merge has a hidden file in `directory`; False if it ended first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not hidden_in(directory) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    return bool(hidden_in(directory)) and run.poll() is None


def test_sigterm_mid_merge_removes_its_hidden_file(tmp_path: Path) -> None:
    # What YARN, systemd and `timeout` send: the JVM's shutdown hook removes the merge's hidden file.
    run = merge_jvm(str(big_source(tmp_path / "src")), str(tmp_path / "out.csv"))
    assert under_way(run, tmp_path), "the merge ended before it could be stopped"
    run.send_signal(signal.SIGTERM)

    assert run.wait(timeout=WAIT_SECONDS) == 128 + signal.SIGTERM
    assert hidden_in(tmp_path) == []
    assert not (tmp_path / "out.csv").exists()


def test_the_command_line_cleans_what_a_killed_merge_left(tmp_path: Path) -> None:
    source = big_source(tmp_path / "src")
    run = merge_jvm(str(source), str(tmp_path / "out.csv"))
    assert under_way(run, tmp_path), "the merge ended before it could be killed"
    run.kill()
    run.wait(timeout=WAIT_SECONDS)
    left = hidden_in(tmp_path)
    assert left

    cleaned = run_python("-m", "sparkmerge", "--clean", str(tmp_path), cwd=tmp_path)

    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.splitlines() == [f"removed file:{tmp_path / name}" for name in left]
    assert hidden_in(tmp_path) == []


def test_two_processes_racing_for_one_target_make_one_winner(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for i in range(8):
        (source / f"part-{i:05d}.csv").write_bytes(b"%d,abcdefghij\n" % i * 300_000)
    expected = b"".join((source / f"part-{i:05d}.csv").read_bytes() for i in range(8))
    for round in range(6):
        target = tmp_path / f"out-{round}.csv"
        runs = [
            subprocess.Popen(command([str(source), str(target), "--json"]), stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=WAIT_SECONDS)[0] for run in runs]
        codes = sorted(run.returncode for run in runs)
        assert codes == [0, 1], outputs
        assert any('"error":"TargetExistsException"' in output for output in outputs), outputs
        assert target.read_bytes() == expected
    assert hidden_in(tmp_path) == []


def hidden_below(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if ".sparkmerge-" in p.name)


def sigterm_drill(
    tmp_path: Path, source: Path, target: str, expected: dict[str, bytes], rounds: int
) -> tuple[int, int, int]:
    """SIGTERM to ``python -m sparkmerge`` at moments spread over an uninterrupted run, the end included.
    After each: no hidden file anywhere; exit 0 only with every file whole and its result printed, 143 with each
    file there whole. A machine busier or quieter than during the first run makes every run longer or shorter:
    while every round, or none, was stopped, up to 4 more come later and later, or earlier and earlier. Returns the rounds run, how many were stopped, and
    how many of those left some file published."""
    out = tmp_path / "out"

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "sparkmerge", str(source), target],
            cwd=tmp_path,
            env=python_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    began = time.monotonic()
    first = start()
    assert first.wait(timeout=WAIT_SECONDS) == 0, first.communicate()[1]
    took = time.monotonic() - began
    stopped = partly = done = 0
    for round in range(rounds + EXTRA_ROUNDS):
        if round >= rounds and 0 < stopped < done:
            break
        subprocess.run(["rm", "-rf", str(out)], check=True)
        run = start()
        extra = max(round - rounds + 1, 0)
        moment = 0.45 + 0.65 * min(round, rounds - 1) / max(rounds - 1, 1)
        if extra and stopped == 0:
            moment = 0.45 * 0.5**extra
        elif extra:
            moment += 0.5 * extra
        time.sleep(took * moment)
        run.send_signal(signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=WAIT_SECONDS)
        there = {name: (out / name).read_bytes() for name in expected if (out / name).exists()}
        assert hidden_below(tmp_path) == [], f"round {round}: hidden files left"
        assert all(data == expected[name] for name, data in there.items()), (
            f"round {round}: a file is not whole"
        )
        if run.returncode == 0:
            assert there.keys() == expected.keys(), f"round {round}: exit 0, files missing"
            assert stdout.strip(), f"round {round}: exit 0 without the result"
        else:
            assert run.returncode == 128 + signal.SIGTERM, stderr
            assert stderr.splitlines()[-1] == "python -m sparkmerge: stopped by SIGTERM", stderr
            stopped += 1
            partly += bool(there)
        done += 1
    print(f"SIGTERM drill: {done} rounds, {stopped} stopped ({partly} with files published), files lost: 0")
    return done, stopped, partly


def test_sigterm_at_any_moment_of_one_merge_leaves_nothing_and_the_exit_code_tells(tmp_path: Path) -> None:
    source = big_source(tmp_path / "src")
    whole = b"".join((source / f"part-{i:05d}.csv").read_bytes() for i in range(12))

    done, stopped, _ = sigterm_drill(tmp_path, source, "out/all.csv", {"all.csv": whole}, rounds=8)

    assert 1 <= stopped < done, "every round, or none, was stopped: the drill tested nothing"


def test_sigterm_at_any_moment_of_many_merges_leaves_nothing_and_the_exit_code_tells(tmp_path: Path) -> None:
    source = tmp_path / "src"
    expected = {}
    for v in range(8):
        (source / f"v={v}").mkdir(parents=True)
        for i in range(2):
            (source / f"v={v}" / f"part-{i:05d}.csv").write_bytes(b"%d,0123456789abcdef\n" % v * 600_000)
        expected[f"{v}.csv"] = (b"%d,0123456789abcdef\n" % v * 600_000) * 2

    done, stopped, _ = sigterm_drill(tmp_path, source, "out/{v}.csv", expected, rounds=8)

    assert 1 <= stopped < done, "every round, or none, was stopped: the drill tested nothing"
