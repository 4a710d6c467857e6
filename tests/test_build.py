"""End to end with the real engine: build, decode the real MP3, check length, format, tags, audio."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from routinecast import Settings, build, plan
from routinecast.cli import main
from routinecast.mix.background import Bed
from routinecast.sound import loudness


def decode(path: Path) -> tuple[np.ndarray, int, int]:
    info = soundfile.info(str(path))
    data, rate = soundfile.read(str(path), dtype="float32")
    return data, rate, info.channels


def test_decoded_length_equals_timeline(every_kind):
    folder, result, timeline = every_kind
    data, rate, channels = decode(folder / "every.mp3")
    assert (rate, channels) == (44100, 1)
    assert abs(len(data) * 1000 / rate - timeline["duration_ms"]) <= 1.0
    assert len(data) == result.timeline.length  # to the sample, thanks to the LAME Info frame


def test_mp3_format_is_mpeg1_layer3_cbr64_with_info_frame(every_kind):
    folder, _, timeline = every_kind
    info = MP3(str(folder / "every.mp3")).info
    assert (info.version, info.layer, info.sample_rate, info.channels) == (1, 3, 44100, 1)
    # Mutagen divides the bytes by the length. Parts encoded apart each start LAME's
    # padding-byte pattern afresh, which costs a byte here and there: not a whole kbit/s.
    assert abs(info.bitrate - 64000) < 64
    assert info.bitrate_mode == BitrateMode.CBR and info.encoder_info.startswith("LAME")
    raw = (folder / "every.mp3").read_bytes()
    assert b"Info" in raw[:4096] and b"LAME" in raw[:4096]  # the Info frame with LAME's gapless fields
    assert abs(info.length * 1000 - timeline["duration_ms"]) < 60


def test_tags_and_chapters(every_kind):
    folder, _, timeline = every_kind
    tags = ID3(str(folder / "every.mp3"))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Every Kind"
    assert str(tags["TPE1"]) == "Test Author"
    assert str(tags["TALB"]) == "routinecast"
    assert str(tags["COMM::eng"]) == "A routine with every step kind."
    chapters = [(c.sub_frames["TIT2"].text[0], c.start_time, c.end_time) for c in tags.getall("CHAP")]
    assert chapters == [(c["title"], c["start_ms"], c["end_ms"]) for c in timeline["chapters"]]
    assert [c[0] for c in chapters] == ["Settle", "Hold", "Breathe"]
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["ch0", "ch1", "ch2"]
    # Chapter frames stand in the file in time order.
    raw = (folder / "every.mp3").read_bytes()
    assert raw.index(b"ch0\x00") < raw.index(b"ch1\x00") < raw.index(b"ch2\x00")


def test_speech_is_audible_and_silence_is_silent(every_kind):
    folder, _, timeline = every_kind
    data, rate, _ = decode(folder / "every.mp3")
    margin = int(0.03 * rate)  # MP3 smears a few ms across boundaries
    for event in timeline["events"]:
        start, end = (round(event[k] * rate / 1000) for k in ("start_ms", "end_ms"))
        part = data[start:end]
        if event["kind"] == "silence":
            inner = part[margin:-margin] if len(part) > 2 * margin else part[:0]
            if len(inner):
                assert np.abs(inner).max() < 0.01, event
        else:
            assert np.sqrt(np.mean(part**2)) > 0.01, event


def test_every_kind_appears_in_the_timeline(every_kind):
    _, _, timeline = every_kind
    kinds = {e["kind"] for e in timeline["events"]}
    assert kinds == {"speech", "silence", "tone", "sound"}
    assert {w["kind"] for w in timeline["windows"]} == {"hold", "in", "hold_in", "out", "rest"}
    texts = [e["text"] for e in timeline["events"] if e["kind"] == "speech"]
    assert texts[:4] == [
        "Stop if anything hurts. Lie on your back.",
        "Round 1 of 2.",
        "Round 2 of 2.",
        "Step your left foot forward.",
    ]
    assert "Now the other side." in texts and texts[-1] == "That is all."


def test_transcript_matches_speech_events(every_kind):
    folder, _, timeline = every_kind
    text = (folder / "every.vtt").read_text()
    assert text.startswith("WEBVTT\n\n")
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)\n", text)
    speech = [e for e in timeline["events"] if e["kind"] == "speech"]
    assert len(cues) == len(speech)
    for cue, event in zip(cues, speech):
        h, m, s, ms, h2, m2, s2, ms2, words = cue
        start = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)
        end = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(ms2)
        assert (start, end, words) == (round(event["start_ms"]), round(event["end_ms"]), event["text"])


def test_wav_output_and_srt(tmp_path, write, real_cache):
    path = write("title: W\noutput: {sample_rate: 22050, head: 0, tail: 500ms}\nsteps:\n  - say: Hello there.\n")
    result = build(
        path, tmp_path / "w.wav", transcript_path=tmp_path / "w.srt", settings=Settings(cache_dir=real_cache)
    )
    data, rate, channels = decode(tmp_path / "w.wav")
    assert soundfile.info(str(tmp_path / "w.wav")).subtype == "PCM_16"
    assert (rate, channels, len(data)) == (22050, 1, result.timeline.length)
    assert (tmp_path / "w.srt").read_text().startswith("1\n00:00:00,000 --> 00:00:0")


def test_cached_rebuild_is_identical_and_synthesizes_nothing(tmp_path, write, monkeypatch):
    path = write("title: C\nsteps:\n  - say: Cached line one.\n  - pause: 1s\n  - say: Cached line two.\n")
    settings = Settings(cache_dir=tmp_path / "cache")
    build(path, tmp_path / "a.mp3", settings=settings)
    from routinecast.speech.engines import pyttsx3_engine

    def forbidden(*args, **kwargs):
        raise AssertionError("the engine was asked to speak")

    monkeypatch.setattr(pyttsx3_engine.Pyttsx3Engine, "synthesize", forbidden)
    build(path, tmp_path / "b.mp3", settings=settings)
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_planning_measures_the_bed_so_that_rendering_need_not(write, fake, monkeypatch):
    # The measurement (1.3 s, mostly importing pyloudnorm) runs in a helper while the voice speaks.
    planned = plan(write("title: B\nbackground: {noise: pink}\nsteps:\n  - say: Over a bed.\n  - pause: 2s\n"), fake)

    def measure(*_):
        raise AssertionError("the bed was measured again")

    monkeypatch.setattr(loudness, "measure", measure)
    bed = Bed(planned.routine.background, planned.timeline, -16.0, planned.bank.store)
    assert 0 < bed.gain < 1


def test_failed_build_keeps_the_earlier_output(tmp_path, write, real_cache, monkeypatch, capsys):
    path = write("title: A\nsteps:\n  - say: Keep me.\n")
    out = tmp_path / "out" / "a.mp3"
    build(path, out, settings=Settings(cache_dir=real_cache))
    before = out.read_bytes()
    # A bad routine: exit 2, nothing touched.
    path.write_text("title: A\nsteps:\n  - pause: -1s\n")
    assert main(["build", str(path), "-o", str(out), "--cache-dir", str(real_cache)]) == 2
    assert capsys.readouterr().err.endswith("routine.yaml:3:12: 'pause' must be longer than zero; got -1s\n")
    assert out.read_bytes() == before
    # A build that dies halfway through encoding, on one core (the mixer streaming into
    # LAME here) and on two (the parts being put together): old file intact, no temporary files left.
    path.write_text("title: A\nsteps:\n  - say: Keep me.\n  - pause: 20s\n  - say: And me.\n")
    from routinecast.mix import mixer
    from routinecast.write import mp3

    real_stream = mixer.stream

    def dying(*args, **kwargs):
        for n, chunk in enumerate(real_stream(*args, **kwargs)):
            if n == 5:
                raise KeyboardInterrupt
            yield chunk

    def silence_dies(self, frames):
        raise KeyboardInterrupt

    monkeypatch.setattr(mixer, "stream", dying)
    monkeypatch.setattr(mp3.Mp3Stream, "silence", silence_dies)
    monkeypatch.setattr(importlib.import_module("routinecast.build"), "PARALLEL_SECONDS", 0)
    for jobs in ("1", "2"):
        assert main(["build", str(path), "-o", str(out), "--cache-dir", str(real_cache), "--jobs", jobs]) == 130
        assert capsys.readouterr().err == "routinecast: interrupted; nothing was written\n"
        assert out.read_bytes() == before
        assert sorted(p.name for p in out.parent.iterdir()) == ["a.mp3"]


def _engine_worker(timeout: float = 30.0) -> int:
    """The pid of our speech-engine worker process, once it is running."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            for pid in (task / "children").read_text().split():
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:  # a short-lived child, gone already
                    continue
                if b"spawn_main" in cmdline:
                    return int(pid)
        time.sleep(0.005)
    raise AssertionError("no engine worker appeared")


@pytest.mark.parametrize("fault", ["hang", "crash"])
def test_engine_fault_during_a_build_is_one_line_and_leaves_no_output(fault, tmp_path, write, capsys):
    import signal
    import threading
    import time

    lines = "\n".join(f"  - say: This is line number {n} of a long routine." for n in range(400))
    path = write("title: F\nsteps:\n" + lines + "\n")
    out = tmp_path / "out" / "f.mp3"
    code = {}
    args = ["build", str(path), "-o", str(out), "--cache-dir", str(tmp_path / "c"), "--timeout", "3", "-j", "1"]
    thread = threading.Thread(target=lambda: code.setdefault("exit", main(args)))
    thread.start()
    worker = _engine_worker()
    clips = tmp_path / "c" / "clips"
    deadline = time.monotonic() + 60
    while len(list(clips.glob("*/*.clip"))) < 5:  # the worker is speaking now
        assert time.monotonic() < deadline, "the engine spoke nothing within a minute"
        time.sleep(0.002)
    os.kill(worker, signal.SIGSTOP if fault == "hang" else signal.SIGKILL)
    thread.join(120)
    err = capsys.readouterr().err
    assert code["exit"] == 1
    expected = (
        r"speech engine hung on: '.+' \(no answer in 3s\)"
        if fault == "hang"
        else r"speech engine crashed \(exit code -9\) on: '.+'"
    )
    assert re.fullmatch(rf"routinecast: {expected}\n", err), err
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "{d}/a.json", "--format", "mp3", "--timeline", "{d}/a.json"],
         "{d}/a.json: --timeline would overwrite the audio output"),
        (["-o", "{r}", "--format", "mp3"], "{r}: the audio output would overwrite the routine file"),
        (["-o", "{d}/t.vtt", "--format", "wav", "--transcript", "{d}/sub/../t.vtt"],
         "{d}/sub/../t.vtt: --transcript would overwrite the audio output"),
    ],
)  # fmt: skip
def test_outputs_never_overwrite_the_routine_or_each_other(tmp_path, write, capsys, args, message):
    path = write("title: T\nsteps:\n  - say: Hi.\n")
    before = path.read_bytes()
    filled = [a.format(d=tmp_path, r=path) for a in args]
    assert main(["build", str(path), *filled, "--engine", "fake", "--cache-dir", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err == message.format(d=tmp_path, r=path) + "; choose another path\n"
    assert path.read_bytes() == before and not list(tmp_path.glob("*.[jv]*")) and not (tmp_path / "c").exists()


def test_sigterm_stops_a_build_like_ctrl_c_and_leaves_nothing_behind(tmp_path, write):
    import signal
    import time

    lines = "\n".join(f"  - say: Line number {n} of a routine that takes a while to speak." for n in range(300))
    path = write("title: T\nsteps:\n" + lines + "\n")
    out, clips = tmp_path / "out" / "t.mp3", tmp_path / "c" / "clips"
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    command = [
        sys.executable,
        "-m",
        "routinecast",
        "build",
        str(path),
        "-o",
        str(out),
        "--cache-dir",
        str(tmp_path / "c"),
    ]
    build_process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(clips.glob("*/*.clip"))) < 3:  # speaking now
        assert time.monotonic() < deadline and build_process.poll() is None, "the build spoke nothing"
        time.sleep(0.01)
    helpers = Path(f"/proc/{build_process.pid}/task/{build_process.pid}/children").read_text().split()
    assert helpers
    build_process.send_signal(signal.SIGTERM)  # to the build alone, as a plain `kill` does
    _, err = build_process.communicate(timeout=60)
    assert (build_process.returncode, err) == (143, b"routinecast: terminated; nothing was written\n")
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in helpers):
        assert time.monotonic() < deadline, "a helper process outlived the build"
        time.sleep(0.05)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    "where, reason", [("/proc/x.mp3", "No such file or directory"), ("{d}/f/x.mp3", "File exists")]
)
def test_an_output_folder_that_cannot_be_written_is_the_users_to_fix(tmp_path, write, capsys, where, reason):
    path = write("title: T\nsteps:\n  - say: Hi.\n")
    (tmp_path / "f").write_text("a file, not a folder")
    target = where.format(d=tmp_path)
    assert main(["build", str(path), "-o", target, "--engine", "fake", "--cache-dir", str(tmp_path / "c")]) == 2
    folder = "/proc" if target.startswith("/proc") else str(tmp_path / "f")
    assert capsys.readouterr().err == f"{folder}: cannot write the output there ({reason}); choose another folder\n"


def test_a_session_with_nothing_to_hear_is_refused(write, fake, capsys, tmp_path):
    path = write("title: T\noutput: {head: 0s, tail: 0s}\nsteps:\n  - section: A\n  - section: B\n")
    cache = str(tmp_path / "c")
    assert main(["build", str(path), "-o", str(tmp_path / "x.mp3"), "--engine", "fake", "--cache-dir", cache]) == 2
    assert capsys.readouterr().err == (
        f"{path}:1:1: the session has nothing to hear; add a step that speaks, waits or rings\n"
    )
    assert not (tmp_path / "x.mp3").exists()
