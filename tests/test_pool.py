"""The helper-process pool: helpers leave Ctrl-C to the build that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from routinecast.pool import Pool, result


def test_helpers_ignore_ctrl_c_from_their_first_instruction():
    """Ctrl-C reaches the whole process group, helpers still importing their modules included."""
    before = signal.getsignal(signal.SIGINT)
    with Pool(2) as pool:
        first = pool.submit(os.getpid)
        for process in pool._executor._processes.values():
            os.kill(process.pid, signal.SIGINT)  # while it starts up
        assert result(first) in pool._executor._processes
        assert result(pool.submit(signal.getsignal, signal.SIGINT)) == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is before  # the build itself still hears it


HOLDER = """
import os, sys, time
from routinecast.pool import Pool, result
with Pool(2) as pool:
    pids = {result(pool.submit(os.getpid)) for _ in range(8)}
    print(*pids, flush=True)
    time.sleep(600)
"""


def test_helpers_go_when_their_build_is_killed_outright():
    """SIGKILL to the build alone (not its group) leaves no helper running on, orphaned."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True)
    helpers = [int(pid) for pid in holder.stdout.readline().split()]
    assert helpers and all(Path(f"/proc/{pid}").exists() for pid in helpers)
    holder.kill()
    holder.communicate(timeout=10)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and b"zombie" not in _state(pid) for pid in helpers):
        assert time.monotonic() < deadline, "a helper outlived its build"
        time.sleep(0.05)


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes()
    except OSError:
        return b"zombie"


def test_a_helpers_warnings_reach_the_user_as_the_builds_own_do(tmp_path, capfd):
    # The bed's loudness is recalled in a helper: a damaged entry there is one prefixed line, as anywhere.
    from routinecast.cli import main

    path = tmp_path / "bed.yaml"
    path.write_text("title: Bed\nbackground: {noise: pink}\nsteps:\n  - say: Over a bed.\n  - pause: 3s\n")
    args = ["build", str(path), "-o", str(tmp_path / "bed.mp3"), "--engine", "fake", "--jobs", "2"]
    args += ["--cache-dir", str(tmp_path / "cache")]
    assert main(args) == 0
    damaged = sorted((tmp_path / "cache" / "values").glob("*.json"))
    for entry in damaged:
        entry.write_text('{"value": "garbage"')
    capfd.readouterr()
    assert main(args) == 0
    lines = [line for line in capfd.readouterr().err.splitlines() if "was damaged" in line]
    assert sorted(lines) == sorted(
        f"routinecast: warning: cache entry {entry} was damaged or edited; it is measured again" for entry in damaged
    )
