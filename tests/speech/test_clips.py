"""Preparing a spoken clip: trimmed to the audible voice, resampled, faded, 16-bit."""

from __future__ import annotations

import numpy as np

from routinecast.speech.clips import TRIM_MARGIN_MS, prepare_clip, to_pcm16


def test_trim_keeps_the_voice_and_a_margin_before_it():
    voice = np.full(1000, 3000, dtype=np.int16)
    samples = np.concatenate([np.zeros(500, np.int16), voice, np.zeros(700, np.int16)])
    clip = prepare_clip(samples, 22050, 22050)
    margin = 22050 * TRIM_MARGIN_MS // 1000
    assert len(clip) == margin + len(voice)
    assert clip[margin + 100] == 3000  # past the fade, untouched


def test_silence_gives_an_empty_clip():
    assert len(prepare_clip(np.zeros(5000, np.int16), 22050, 44100)) == 0
    assert len(prepare_clip(np.zeros(0, np.int16), 22050, 44100)) == 0


def test_to_pcm16_rounds_and_clips_and_may_reuse_its_input():
    audio = np.array([0.5, -1.5, 1.5, 1e-5, -0.25], dtype=np.float32)
    expected = np.array([16384, -32768, 32767, 0, -8192], dtype=np.int16)
    assert np.array_equal(to_pcm16(audio), expected)
    assert audio[0] == np.float32(0.5)  # untouched without overwrite
    assert np.array_equal(to_pcm16(audio, overwrite=True), expected)
