"""The speech cache: nothing synthesized twice, only what changed re-synthesized, damage repaired, sharing safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from routinecast import Settings, build
from routinecast.cache import ClipStore
from routinecast.cli import main
from routinecast.sound.loudness import CALIBRATION
from routinecast.speech.engines.fake import FakeEngine
from routinecast.speech.pace import PASSAGE

LINES = ["First line.", "Last line.", "One", "Three", "Two"]
EVERYTHING = sorted(LINES + list(CALIBRATION))  # a new voice is also measured on the calibration passage


def said(spoken: list[str]) -> list[str]:
    """What was spoken, sorted, without the pace passage (a voice's pace is measured once, and remembered)."""
    return sorted(text for text in spoken if text not in PASSAGE)


ROUTINE = """
title: Cache
voice: {name: en-us, rate: 160}
steps:
  - say: First line.
  - repeat: 3
    steps:
      - hold: 4s
        cues: [{countdown: 3}]
  - say: Last line.
"""


def test_second_build_synthesizes_nothing(write, tmp_path, fake, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=fake)
    assert said(spoken) == EVERYTHING  # countdown words once each
    # The pace is measured on the passage at the voice's natural speed, then checked at the speed derived.
    assert sorted(spoken).count(PASSAGE[0]) == 2
    spoken.clear()
    build(path, tmp_path / "b.mp3", settings=fake)
    assert spoken == []
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_only_what_changed_is_synthesized_again(write, tmp_path, fake, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=fake)
    spoken.clear()
    path.write_text(ROUTINE.replace("Last line.", "A new last line."))
    build(path, tmp_path / "a.mp3", settings=fake)
    assert spoken == ["A new last line."]
    spoken.clear()
    path.write_text(ROUTINE.replace("rate: 160", "rate: 180"))
    build(path, tmp_path / "a.mp3", settings=fake)
    assert said(spoken) == EVERYTHING
    spoken.clear()
    path.write_text(ROUTINE.replace("en-us", "de"))
    build(path, tmp_path / "a.mp3", settings=fake)
    assert said(spoken) == EVERYTHING


def test_a_damaged_entry_is_detected_and_replaced(write, tmp_path, fake, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=fake)
    clips = sorted((tmp_path / "cache" / "clips").glob("*/*.clip"))
    raw = [c for c in clips if c.stat().st_size > 0]
    for clip in raw:  # damage every entry: flip bytes in the middle
        data = bytearray(clip.read_bytes())
        data[len(data) // 2] ^= 0xFF
        clip.write_bytes(bytes(data))
    spoken.clear()
    build(path, tmp_path / "b.mp3", settings=fake)
    assert said(spoken) == EVERYTHING
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_a_line_spoken_differently_after_damage_never_meets_stale_levelled_audio(
    write, tmp_path, fake, monkeypatch, caplog
):
    path = write(ROUTINE)
    first = build(path, tmp_path / "a.mp3", settings=fake)
    store = ClipStore(tmp_path / "cache")
    for clip in (tmp_path / "cache" / "clips").glob("*/*.clip"):  # damage every entry
        clip.write_bytes(clip.read_bytes()[:-3])
    # The engine now speaks every line a little longer, as a real one may on another run.
    original = FakeEngine.synthesize

    def longer(self, texts, voice):
        for text, samples, rate in original(self, texts, voice):
            yield text, np.concatenate([samples, samples[rate // 20 : rate // 20 + 441]]), rate

    monkeypatch.setattr(FakeEngine, "synthesize", longer)
    second = build(path, tmp_path / "b.mp3", settings=fake)
    assert second.timeline.length > first.timeline.length
    assert "was damaged; it is made again" in caplog.text
    assert store.load(next(iter((tmp_path / "cache" / "clips").glob("*/*.clip"))).stem) is not None


def test_an_edited_voice_gain_is_measured_again(write, tmp_path, fake, caplog):
    path = write(ROUTINE.replace(", rate: 160", ""))  # no pace to remember: the one number is the gain
    build(path, tmp_path / "a.mp3", settings=fake)
    [gain] = (tmp_path / "cache" / "values").glob("*.json")
    data = json.loads(gain.read_text())
    gain.write_text(json.dumps({**data, "value": data["value"] + 9}))
    build(path, tmp_path / "b.mp3", settings=fake)
    assert "was damaged or edited; it is measured again" in caplog.text
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
    assert json.loads(gain.read_text()) == data


def test_the_first_writer_wins(tmp_path):
    store = ClipStore(tmp_path)
    first, second = np.arange(10, dtype=np.int16), np.arange(12, dtype=np.int16)
    assert np.array_equal(store.save("k" * 64, first), first)
    assert np.array_equal(store.save("k" * 64, second), first)  # the stored clip, not ours
    assert np.array_equal(store.load("k" * 64), first)
    assert sorted(p.name for p in (tmp_path / "clips" / "kk").iterdir()) == ["k" * 64 + ".clip"]


def test_store_round_trip_and_truncation(tmp_path):
    store = ClipStore(tmp_path)
    samples = np.arange(-500, 500, dtype=np.int16)
    store.save("ab" * 32, samples)
    assert np.array_equal(store.load("ab" * 32), samples)
    path = next((tmp_path / "clips").glob("*/*.clip"))
    path.write_bytes(path.read_bytes()[:-10])
    assert store.load("ab" * 32) is None and not path.exists()
    assert not list((tmp_path / "clips").glob("*/.tmp-*"))


def test_ten_builds_at_once_on_a_cold_cache_agree(write, tmp_path):
    # The real engine: the same line spoken twice at once need not come out the same length.
    path = write("title: Ten\nsteps:\n  - say: One line for everyone.\n  - pause: 1s\n  - say: And a second one.\n")
    env = {**os.environ, "ROUTINECAST_CACHE": str(tmp_path / "shared")}
    command = [sys.executable, "-m", "routinecast", "build", str(path), "-j", "1"]
    runs = [
        subprocess.Popen([*command, "-o", str(tmp_path / f"{n}.mp3"), "--timeline", str(tmp_path / f"{n}.json")],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for n in range(10)
    ]  # fmt: skip
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    again = subprocess.run([*command, "-o", str(tmp_path / "again.mp3")], env=env, capture_output=True, timeout=300)
    assert again.returncode == 0 and again.stderr == b""
    outputs = {(tmp_path / f"{n}.mp3").read_bytes() for n in [*range(10), "again"]}
    assert len(outputs) == 1
    assert len({(tmp_path / f"{n}.json").read_text() for n in range(10)}) == 1


def test_cache_command(tmp_path, write, fake, capsys):
    build(write(ROUTINE), tmp_path / "a.mp3", settings=fake)
    capsys.readouterr()
    assert main(["cache", "info", "--cache-dir", str(tmp_path / "cache")]) == 0
    # 5 lines and 8 calibration lines as spoken, and the lines levelled: the fake voice says
    # "One" and "Two" alike, and a levelled clip is stored once per content
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'cache'}: 17 clips, ")
    assert main(["cache", "clear", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert capsys.readouterr().out == f"removed 17 clips from {tmp_path / 'cache'}\n"


def test_no_cache_leaves_the_cache_alone(tmp_path, write, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=Settings(engine="fake", cache_dir=tmp_path / "cache", use_cache=False))
    assert not (tmp_path / "cache").exists()
    assert said(spoken) == EVERYTHING
