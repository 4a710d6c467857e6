"""Watching a routine: every save rebuilds it, errors are shown and watching goes on, Ctrl-C stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import soundfile

from routinecast import build
from routinecast.watch import watch_routine

DEADLINE_S = 60


def wait_for(condition, what: str) -> None:
    end = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_file_saved_twice_is_rebuilt_twice_and_outputs_start_nothing(tmp_path, fake):
    routine = tmp_path / "w.yaml"
    routine.write_text("title: W\nsteps:\n  - say: One.\n")
    target = tmp_path / "output" / "w.mp3"  # inside the watched folder: writing it must not count as a save
    lengths: list[float] = []
    stop = threading.Event()

    def rebuild():
        lengths.append(soundfile.info(build(routine, target, settings=fake).output).duration)
        return [target, fake.cache_dir]

    def edit():
        for text, builds in (("Two and three.", 2), ("Four, five and six.", 3)):
            wait_for(lambda n=builds: len(lengths) == n - 1, "the build before")
            routine.write_text(f"title: W\nsteps:\n  - say: {text}\n")
        wait_for(lambda: len(lengths) == 3, "the last build")
        time.sleep(1.5)  # time for a build its own outputs would set off
        stop.set()

    editor = threading.Thread(target=edit)
    editor.start()
    watch_routine(routine, rebuild, stop)
    editor.join()
    # The fake voice speaks 60 ms per character, after the 1 s head and before the 3 s tail.
    assert [round(x, 2) for x in lengths] == [
        round(4 + 0.06 * len(t), 2) for t in ("One.", "Two and three.", "Four, five and six.")
    ]


def test_watch_shows_errors_goes_on_and_stops_on_ctrl_c(tmp_path):
    routine = tmp_path / "w.yaml"
    routine.write_text("title: W\nsteps:\n  - say: One.\n")
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    command = [sys.executable, "-m", "routinecast", "watch", "w.yaml", "--engine", "fake", "--cache-dir", "c", "-j1"]
    with open(out, "w") as stdout, open(err, "w") as stderr:
        watcher = subprocess.Popen(command, cwd=tmp_path, stdout=stdout, stderr=stderr, env=os.environ.copy())
        try:
            built = lambda n: len(out.read_text().splitlines()) == n  # noqa: E731
            wait_for(lambda: built(1), "the first build")
            routine.write_text("title: W\nsteps:\n  - pause: soon\n")
            wait_for(lambda: "soon" in err.read_text(), "the error")
            routine.write_text("title: W\nsteps:\n  - say: Two.\n")
            wait_for(lambda: built(2), "the build after the error")
            watcher.send_signal(signal.SIGINT)
            assert watcher.wait(DEADLINE_S) == 130
        finally:
            watcher.kill()
    assert [line.split()[0] for line in out.read_text().splitlines()] == ["output/w.mp3", "output/w.mp3"]
    assert err.read_text() == (
        "routinecast: watching ./; Ctrl-C to stop\n"
        "w.yaml:3:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon\n"
        "routinecast: interrupted\n"
    )
    assert Path(tmp_path / "output" / "w.mp3").exists()
