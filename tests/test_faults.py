"""Faults from outside: a full disk, a read-only folder, signals at random moments. Nothing is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from routinecast.cli import main
from tests.support.processes import start_build

ROUTINE = "title: T\nsteps:\n" + "".join(f"  - say: Line {n} of the session.\n  - pause: 2s\n" for n in range(40))


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB file system of its own (needs the right to mount, which CI has as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def build(routine: Path, out: Path, cache: Path, *extra: str) -> int:
    return main(["build", str(routine), "-o", str(out), "--engine", "fake", "--cache-dir", str(cache), *extra])


def test_a_full_disk_for_the_output_keeps_the_earlier_output(small_disk, write, tmp_path, capsys):
    path = write(ROUTINE)
    earlier = small_disk / "session.mp3"
    earlier.write_bytes(b"an earlier build" * 1000)
    (small_disk / "filler").write_bytes(b"\0" * 200_000)
    assert build(path, earlier, tmp_path / "c") == 2
    assert capsys.readouterr().err == (
        f"{small_disk}: cannot write the output there (No space left on device); "
        "free some space or choose another folder\n"
    )
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "session.mp3"]
    assert earlier.read_bytes() == b"an earlier build" * 1000


def test_a_full_cache_is_named_and_the_next_build_is_right(small_disk, write, tmp_path, capsys):
    path = write(ROUTINE)
    cache = small_disk / "cache"
    assert build(path, tmp_path / "a.mp3", cache) == 2
    assert capsys.readouterr().err == (
        f"{cache}: cannot write the speech cache (No space left on device); free some space, "
        "choose another folder with --cache-dir, or build with --no-cache\n"
    )
    assert not (tmp_path / "a.mp3").exists()
    assert not list(cache.rglob(".tmp-*")), "a half-written entry was left in the cache"
    # What did fit is sound: a build with room, from the same entries, succeeds and matches a fresh one.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    assert build(path, tmp_path / "a.mp3", cache) == 0, capsys.readouterr().err
    assert build(path, tmp_path / "b.mp3", tmp_path / "fresh") == 0
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_a_read_only_folder(small_disk, write, tmp_path, capsys):
    path = write(ROUTINE)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert build(path, small_disk / "x.mp3", tmp_path / "c") == 2
    assert capsys.readouterr().err == (
        f"{small_disk}: cannot write the output there (Read-only file system); choose another folder\n"
    )
    assert build(path, tmp_path / "x.mp3", small_disk / "cache") == 2
    assert capsys.readouterr().err.startswith(f"{small_disk / 'cache'}: cannot write the speech cache (Read-only")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_signals_at_random_moments_lose_nothing(signum, write, tmp_path, monkeypatch):
    """A build stopped at a random moment leaves the earlier output whole or the new one complete, never
    anything between; the next build removes every leftover and is right."""
    path = write(ROUTINE)
    assert build(path, tmp_path / "fresh.mp3", tmp_path / "fresh-cache") == 0
    fresh = (tmp_path / "fresh.mp3").read_bytes()
    out, tmp = tmp_path / "out" / "s.mp3", tmp_path / "tmp"
    out.parent.mkdir()
    tmp.mkdir()
    out.write_bytes(b"earlier")
    seed = random.randrange(1 << 30)
    for n, moment in enumerate(random.Random(seed).sample([i / 100 for i in range(0, 250)], 3)):
        cache = tmp_path / f"cache{n}"
        args = ["build", str(path), "-o", str(out), "--engine", "fake", "--cache-dir", str(cache), "-j", "2"]
        process = start_build(args, tmp)
        # Counted from the first clip in its cache: before that, Python is still importing its libraries,
        # and answers Ctrl-C with its own traceback.
        deadline = time.monotonic() + 60
        while not list(cache.glob("clips/*/*.clip")) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(moment)
        os.killpg(process.pid, signum)
        _, err = process.communicate(timeout=60)
        assert process.returncode in (0, 130, -9), (seed, moment, err)
        if process.returncode == 130:
            assert err == b"routinecast: interrupted; nothing was written\n", (seed, moment)
        assert out.read_bytes() in (b"earlier", fresh), (seed, moment)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    assert main(args) == 0  # with the last stopped build's cache
    assert out.read_bytes() == fresh
    assert [p.name for p in out.parent.iterdir()] == ["s.mp3"]
    assert list(tmp.iterdir()) == []


def test_builds_at_once_to_one_output_leave_one_whole_file(write, tmp_path):
    """The last rename wins; every build renames a whole file of its own, so the result is always whole."""
    path = write(ROUTINE)
    assert build(path, tmp_path / "fresh.mp3", tmp_path / "fresh-cache") == 0
    out, tmp = tmp_path / "out" / "s.mp3", tmp_path / "tmp"
    tmp.mkdir()
    args = ["build", str(path), "-o", str(out), "--engine", "fake", "--cache-dir", str(tmp_path / "c")]
    runs = [start_build([*args, "--timeline", str(out.with_suffix(".json"))], tmp) for _ in range(4)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert (run.returncode, err) == (0, b"")
    assert out.read_bytes() == (tmp_path / "fresh.mp3").read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == ["s.json", "s.mp3"]
    assert list(tmp.iterdir()) == []
