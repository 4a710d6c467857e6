"""User recordings: sound files a routine plays, decoded to mono at the output rate and levelled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr

from ..speech.clips import fade_edges
from . import loudness

SOUND_OFFSET_DB = -4.0
"""User sounds sit this far below the voice's loudness, before their own gain."""


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """A user's audio file as mono float32 at ``sample_rate``.

    Raises ``soundfile.LibsndfileError`` when the file cannot be decoded.
    """
    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != sample_rate:
        mono = soxr.resample(mono, rate, sample_rate, quality="HQ")
    return np.ascontiguousarray(mono, dtype=np.float32)


def decode_recording(path: Path, lufs: float, sample_rate: int) -> np.ndarray:
    """A user's sound, brought to ``lufs`` integrated loudness, limited and faded at its edges."""
    audio = decode_audio(path, sample_rate)
    if not audio.any():
        return audio
    gain = lufs - loudness.measure(audio, sample_rate)
    return fade_edges(loudness.limit(audio * np.float32(10 ** (gain / 20)), sample_rate), sample_rate)
