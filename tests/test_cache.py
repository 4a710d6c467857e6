"""The speech cache: nothing synthesized twice, only what changed re-synthesized, damage repaired, sharing safe."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from routinecast import Settings, build
from routinecast.cache import ClipStore
from routinecast.cli import main
from routinecast.sound.loudness import CALIBRATION
from routinecast.speech.engines.fake import FakeEngine

LINES = ["First line.", "Last line.", "One", "Three", "Two"]
EVERYTHING = sorted(LINES + list(CALIBRATION))  # a new voice is also measured on the calibration passage

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


@pytest.fixture
def spoken(monkeypatch):
    """Every text the fake engine is asked to speak, across builds."""
    said: list[str] = []
    original = FakeEngine.synthesize

    def recording(self, texts, voice):
        said.extend(texts)
        yield from original(self, texts, voice)

    monkeypatch.setattr(FakeEngine, "synthesize", recording)
    return said


def test_second_build_synthesizes_nothing(write, tmp_path, fake, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=fake)
    assert sorted(spoken) == EVERYTHING  # countdown words once each
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
    assert sorted(spoken) == EVERYTHING
    spoken.clear()
    path.write_text(ROUTINE.replace("en-us", "de"))
    build(path, tmp_path / "a.mp3", settings=fake)
    assert sorted(spoken) == EVERYTHING


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
    assert sorted(spoken) == EVERYTHING
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_store_round_trip_and_truncation(tmp_path):
    store = ClipStore(tmp_path)
    samples = np.arange(-500, 500, dtype=np.int16)
    store.save("ab" * 32, samples)
    assert np.array_equal(store.load("ab" * 32), samples)
    assert store.length("ab" * 32) == 1000
    path = next((tmp_path / "clips").glob("*/*.clip"))
    path.write_bytes(path.read_bytes()[:-10])
    assert store.load("ab" * 32) is None and not path.exists()
    assert not list((tmp_path / "clips").glob("*/.tmp-*"))


def test_concurrent_builds_share_a_cache(write, tmp_path):
    path = write(ROUTINE)
    env = {**os.environ, "ROUTINECAST_CACHE": str(tmp_path / "shared")}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "routinecast",
                "build",
                str(path),
                "-o",
                str(tmp_path / f"{n}.mp3"),
                "--engine",
                "fake",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    assert (tmp_path / "0.mp3").read_bytes() == (tmp_path / "1.mp3").read_bytes()


def test_cache_command(tmp_path, write, fake, capsys):
    build(write(ROUTINE), tmp_path / "a.mp3", settings=fake)
    capsys.readouterr()
    assert main(["cache", "info", "--cache-dir", str(tmp_path / "cache")]) == 0
    # 5 lines and 8 calibration lines as spoken, and the 5 lines levelled
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'cache'}: 18 clips, ")
    assert main(["cache", "clear", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert capsys.readouterr().out == f"removed 18 clips from {tmp_path / 'cache'}\n"


def test_no_cache_leaves_the_cache_alone(tmp_path, write, spoken):
    path = write(ROUTINE)
    build(path, tmp_path / "a.mp3", settings=Settings(engine="fake", cache_dir=tmp_path / "cache", use_cache=False))
    assert not (tmp_path / "cache").exists()
    assert sorted(spoken) == EVERYTHING
