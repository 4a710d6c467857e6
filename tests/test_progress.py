"""The progress display: drawn when stderr is a terminal, one line that fits its width, every phase shown."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

COLUMNS = 60
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(args: list[str], cwd) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run routinecast with stderr on a 60-column terminal (stdout a pipe); returns the run and every state
    the terminal's line went through, escapes removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    with subprocess.Popen(
        [sys.executable, "-m", "routinecast", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower, env=env
    ) as run:
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes with the process
                break
            if not chunk:
                break
            drawn += chunk
        out = run.stdout.read().decode()
    os.close(leader)
    states = re.split(r"[\r\n]", ESCAPES.sub("", drawn.decode()))
    return subprocess.CompletedProcess(args, run.returncode, out), states


def test_a_build_shows_every_phase_on_one_line_that_fits(tmp_path):
    (tmp_path / "r.yaml").write_text("title: R\nsteps:\n  - say: Hello there.\n  - pause: 2s\n  - say: Goodbye.\n")
    done, states = on_a_terminal(["build", "r.yaml", "--engine", "fake", "--cache-dir", "c", "-j1"], tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("output/r.mp3  ")
    assert max(len(s) for s in states) <= COLUMNS
    shown = [s.split("%")[0].rstrip(" 0123456789") for s in states if s.strip()]
    assert list(dict.fromkeys(shown)) == [
        "r.yaml: starting the voice",
        "r.yaml: speaking",
        "r.yaml: levelling",
        "r.yaml: encoding",
    ]
    assert states[-1].strip() == ""  # the line is cleared at the end


def test_a_batch_counts_routines_on_its_line_and_prints_each_summary(tmp_path):
    for name in "ab":
        (tmp_path / f"{name}.yaml").write_text(f"title: {name}\nsteps:\n  - say: {name}.\n")
    (tmp_path / "bad.yaml").write_text("title: Bad\nsteps:\n  - pause: soon\n")
    args = ["build", "a.yaml", "bad.yaml", "b.yaml", "--engine", "fake", "--cache-dir", "c", "-j1"]
    done, states = on_a_terminal(args, tmp_path)
    assert done.returncode == 2
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["output/a.mp3", "output/b.mp3"]
    error = "bad.yaml:3:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon"
    assert max(len(s) for s in states if s != error) <= COLUMNS  # a message may wrap; the bar may not
    assert "bad.yaml:3:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon" in states
    counted = [s.split("|")[0].rstrip() for s in states if s.startswith(("building", "built"))]
    assert list(dict.fromkeys(counted)) == [
        "building   0%",
        "built a.yaml  33%",
        "built bad.yaml  67%",
        "built b.yaml 100%",
    ]


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    (tmp_path / "r.yaml").write_text("title: R\nsteps:\n  - say: Hello.\n")
    command = [sys.executable, "-m", "routinecast", "build", "r.yaml", "--engine", "fake", "--cache-dir", "c"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
