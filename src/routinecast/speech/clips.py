"""Speech clips as they are stored: trimmed to the audible voice, resampled, faded, 16-bit.

A clip's first and last samples are where the voice is audible, so a speech
event in the timeline starts where the listener hears it start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr

# Anything quieter than this (about -54 dBFS) counts as silence when trimming.
TRIM_THRESHOLD = 0.002
# Kept before the first audible sample, so consonant onsets are not clipped.
TRIM_MARGIN_MS = 2
FADE_MS = 3
# Bump when clip processing changes, so old cache entries are not reused.
PROCESSING_VERSION = 2  # 2: pyttsx3 clips made at a lost default rate must not be reused


@dataclass(frozen=True)
class ClipRef:
    """Where a line's audio is and how long it lasts."""

    key: str
    """Key of the clip in the store."""
    samples: int
    """Length at the output sample rate."""
    digest: str
    """A hash of the samples (``cache.content_digest``); entries made from the clip are keyed by it."""


def prepare_clip(samples: np.ndarray, rate: int, out_rate: int) -> np.ndarray:
    """Trim silence, resample to ``out_rate`` and fade the edges; returns int16 samples.

    An all-silent input gives an empty clip.
    """
    span = audible_span(samples)
    if span is None:
        return np.zeros(0, dtype=np.int16)
    first, last = span
    margin = rate * TRIM_MARGIN_MS // 1000
    audio = samples[max(first - margin, 0) : last + 1].astype(np.float32)
    audio /= 32768.0
    if rate != out_rate:
        audio = soxr.resample(audio, rate, out_rate, quality="HQ")
    return to_pcm16(fade_edges(audio, out_rate), overwrite=True)


def audible_span(samples: np.ndarray) -> tuple[int, int] | None:
    """First and last index of int16 ``samples`` louder than ``TRIM_THRESHOLD``; ``None`` if all are silent."""
    # No list of loud positions: a 7-minute line is 10 million samples.
    limit = int(TRIM_THRESHOLD * 32768)
    loud = (samples > limit) | (samples < -limit)
    if not loud.any():
        return None
    return int(loud.argmax()), len(loud) - 1 - int(loud[::-1].argmax())


def fade_edges(audio: np.ndarray, rate: int) -> np.ndarray:
    """``audio`` with a FADE_MS linear fade in and out, so it never clicks at a join (in place)."""
    fade = min(rate * FADE_MS // 1000, len(audio) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
        audio[:fade] *= ramp
        audio[-fade:] *= ramp[::-1]
    return audio


def to_pcm16(audio: np.ndarray, overwrite: bool = False) -> np.ndarray:
    """Float samples in [-1, 1] as int16, rounded and clipped; ``overwrite`` lets it work in ``audio`` itself."""
    scaled = np.multiply(audio, 32767.0, out=audio if overwrite else None)
    return np.clip(np.round(scaled, out=scaled), -32768, 32767, out=scaled).astype(np.int16)
