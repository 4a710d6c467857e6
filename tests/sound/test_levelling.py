"""Levelling a long line a block at a time: the same samples as the whole, in bounded memory."""

from __future__ import annotations

import numpy as np

from routinecast.cache import ClipStore, content_digest
from routinecast.sound import levelling, loudness
from routinecast.speech.clips import ClipRef, to_pcm16

RATE = 44100


def speechlike(seconds: float) -> np.ndarray:
    """A loud swelling tone over noise, so the compressor and the limiter work at every block's edge."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * RATE)) / RATE
    swell = 0.9 * np.sin(2 * np.pi * 180 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.9 * t))
    return to_pcm16((swell + 0.02 * rng.standard_normal(len(t))).astype(np.float32))


def test_blocks_cover_the_clip_once_with_margins():
    spans = list(loudness.blocks(3 * loudness.BLOCK + 5, RATE))
    assert [(start, stop) for _, _, start, stop in spans] == [
        (k * loudness.BLOCK, min((k + 1) * loudness.BLOCK, 3 * loudness.BLOCK + 5)) for k in range(4)
    ]
    margin = int(RATE * loudness.BLOCK_MARGIN_S)
    assert spans[1][:2] == (loudness.BLOCK - margin, 2 * loudness.BLOCK + margin)
    assert list(loudness.blocks(0, RATE)) == []


def test_a_clip_levelled_in_blocks_equals_the_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(loudness, "BLOCK", 1 << 15)  # 12 blocks in 9 s instead of one
    store = ClipStore(tmp_path)
    clip = store.save("a" * 64, speechlike(9.0))
    raw = ClipRef("a" * 64, len(clip), content_digest(clip))
    levelling.level_clip(store, raw, 8.0, RATE)
    whole = to_pcm16(loudness.process(clip.astype(np.float32) / 32768.0, RATE, 8.0))
    assert np.array_equal(store.load(levelling.levelled_key(raw, 8.0)), whole)


def test_a_silent_line_levels_to_nothing(tmp_path):
    # An engine can give silence for a line with letters in it; the timeline then names the line.
    store = ClipStore(tmp_path)
    clip = store.save("b" * 64, np.zeros(0, dtype=np.int16))
    raw = ClipRef("b" * 64, 0, content_digest(clip))
    levelling.level_clip(store, raw, 3.0, RATE)
    assert len(store.load(levelling.levelled_key(raw, 3.0))) == 0
