"""A second voice for cues: the words routinecast says by itself, spoken by another engine, levelled alike."""

from __future__ import annotations

import json

import numpy as np
import pyloudnorm
import soundfile

from routinecast import Settings, build

ROUTINE = """
title: Two voices
voice: {rate: 150}
cues:
  voice: {engine: fake}
steps:
  - say: Lie on your back and let your knees rest together.
  - hold: 6s
    cues: [halfway, {countdown: 2}]
  - breathe: {in: 3s, out: 3s, cycles: 1}
  - say: Roll to one side and rest there for a moment.
"""


def tone_share(audio: np.ndarray, rate: int) -> float:
    """The share of a stretch's energy within 20 Hz of 220 Hz, the fake engine's tone."""
    spectrum = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / rate)
    return float(spectrum[np.abs(freqs - 220) <= 20].sum() / spectrum.sum())


def test_cue_words_speak_with_the_cue_voice(write, tmp_path, real_cache):
    path = write(ROUTINE)
    build(path, tmp_path / "two.mp3", timeline_path=tmp_path / "two.json", settings=Settings(cache_dir=real_cache))
    audio, rate = soundfile.read(str(tmp_path / "two.mp3"), dtype="float32")
    events = [e for e in json.loads((tmp_path / "two.json").read_text())["events"] if e["kind"] == "speech"]
    assert [e["text"] for e in events] == [
        "Lie on your back and let your knees rest together.",
        "Halfway.",
        "Two",
        "One",
        "Breathe in",
        "Breathe out",
        "Roll to one side and rest there for a moment.",
    ]
    shares, levels = [], []
    for event in events:
        part = audio[round(event["start_ms"] * rate / 1000) : round(event["end_ms"] * rate / 1000)].astype(np.float64)
        shares.append(tone_share(part, rate))
        levels.append(20 * np.log10(np.sqrt((part**2).mean())))
    narrator, cues = shares[0::6], shares[1:6]
    # The cue voice names no rate: it takes the narrator's, so "Halfway." is not rushed out.
    assert events[1]["end_ms"] - events[1]["start_ms"] > 60 * 8 * 140 / 150
    assert all(share < 0.2 for share in narrator), shares
    assert all(share > 0.9 for share in cues), shares
    # Each voice is levelled to the loudness target on its own, so neither drowns the other.
    assert abs(np.mean(levels[1:6]) - np.mean(levels[0::6])) < 6.0, levels
    loudness = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
    assert abs(loudness - -16.0) <= 1.5
