"""Claims on temporary files: a killed build's leftovers go with the next build, a running build's stay."""

from __future__ import annotations

import os
import signal
import tempfile
import time

from routinecast.claims import claimed_file, claimed_folder, release, sweep
from routinecast.cli import main
from tests.support.processes import start_build


def test_a_claimed_file_is_kept_until_released(tmp_path):
    path, claim = claimed_file(tmp_path, ".out.", ".mp3.part")
    assert path.name.startswith(".out.") and path.name.endswith(".mp3.part")
    assert sweep(tmp_path, ".out.*.mp3.part") == 0 and path.exists()
    release(claim)  # as if its build had died: the kernel drops the lock
    assert sweep(tmp_path, ".out.*.mp3.part") == 1 and not path.exists()


def test_a_claimed_folder_is_kept_while_in_use_and_removed_after(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "routinecast-x-old").mkdir()  # a leftover made before claims existed has no claim file:
    with claimed_folder("routinecast-x-") as folder:  # it is not known to be dead, so it stays
        (folder / "part.mp3").write_bytes(b"frames")
        assert sweep(tmp_path, "routinecast-x-*") == 0 and folder.exists()
    assert not folder.exists() and (tmp_path / "routinecast-x-old").exists()


def test_staged_outputs_follow_the_umask(tmp_path, write):
    path = write("title: T\nsteps:\n  - say: Hi.\n")
    old = os.umask(0o027)
    try:
        code = main(
            ["build", str(path), "-o", str(tmp_path / "o.mp3"), "--engine", "fake", "--cache-dir", str(tmp_path / "c")]
        )
    finally:
        os.umask(old)
    assert code == 0 and (tmp_path / "o.mp3").stat().st_mode & 0o777 == 0o640


def test_the_next_build_removes_what_a_killed_build_left(tmp_path, write, monkeypatch):
    """SIGKILL to the whole build (as the OOM killer or a closed terminal might) leaves its part files; the
    next build of the same output removes them, and those of its helpers."""
    steps = "".join(f"  - say: Line {n} of a long session.\n  - pause: 3s\n" for n in range(200))
    path = write("title: T\nsteps:\n" + steps)
    out, tmp = tmp_path / "out" / "t.mp3", tmp_path / "tmp"
    tmp.mkdir()
    out.parent.mkdir()
    (out.parent / "keep.mp3.part").write_bytes(b"not ours")  # not named like our temporary files
    args = ["build", str(path), "-o", str(out), "--engine", "fake", "--cache-dir", str(tmp_path / "c"), "-j", "2"]
    process = start_build(args, tmp)
    deadline = time.monotonic() + 120
    while not (list(out.parent.glob(".t.*.mp3.part")) and list(tmp.glob("routinecast-parts-*/*.mp3"))):
        assert time.monotonic() < deadline and process.poll() is None, "the build never reached encoding"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    left = sorted(p.name for p in out.parent.iterdir())
    assert len(left) == 2 and list(tmp.glob("routinecast-parts-*"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    assert main(args) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["keep.mp3.part", "t.mp3"]
    assert list(tmp.iterdir()) == []
