"""Loudness and dynamics: bring the voice to the programme's loudness target safely.

Raw espeak-ng speech measures about -20.6 LUFS with peaks near -0.7 dBFS, so
reaching -16 LUFS needs less peak-to-loudness ratio, not just gain. Each
speech clip goes through the same chain: a gentle compressor (3:1 above
-26 dBFS RMS), one gain for the whole session, and a look-ahead peak limiter
whose ceiling is measured on 4x-oversampled audio (true peak), with a margin
for the MP3 encoder's own overshoot.

The gain is measured with pyloudnorm's BS.1770 meter on a fixed calibration
passage spoken by the session's voice (not on the routine's own lines, so that
editing a line never changes the gain of all the others), laid out with pauses
as the programme has them; it is remembered per voice and applied clip by clip
while streaming.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import soxr

# scipy and pyloudnorm are imported where used: together they add about 75 MB to a
# process, and a cached rebuild (gain remembered, clips processed) needs neither.

CEILING_DBTP = -3.0  # limiter ceiling; the file is checked at -1.0 dBTP after MP3 encoding
COMP_THRESHOLD_DB = -26.0
COMP_RATIO = 3.0
COMP_WINDOW_MS = 10
LIMIT_WINDOW_MS = 10
SPACING_S = 1.0  # quiet between clips in the measured sample
# Spoken by the session's voice to measure it: varied, calm instructional sentences.
CALIBRATION = (
    "Find a comfortable position and let your shoulders soften away from your ears.",
    "Breathe in slowly through your nose, and let the breath fill your belly.",
    "Now breathe out, a little longer than the in-breath, and let everything settle.",
    "Bring your attention to the front of your hips, where the legs meet the body.",
    "If anything hurts, ease off and come out of the position at your own pace.",
    "Stay here for a few more breaths. There is nothing you need to do.",
    "Gently turn your head from side to side, then bring it back to the centre.",
    "When you are ready, roll onto your side and rest there for a moment.",
)
# Everything that shapes a processed clip; part of its cache key.
CHAIN = (1, CEILING_DBTP, COMP_THRESHOLD_DB, COMP_RATIO, COMP_WINDOW_MS, LIMIT_WINDOW_MS)
# A long clip goes through the chain a block at a time, so levelling one takes bounded memory: a whole
# 7-minute line (the longest, MAX_SPOKEN characters) took some 800 MB in the levelling helper.
BLOCK = 1 << 19
# Audio each block takes along on either side. An output sample depends on the audio within about
# 20 ms (compressor window, limiter hold and smoothing, the oversampling filter); with 100 ms the
# blocks give exactly the samples of the whole clip, so levelled clips in the cache stay valid.
BLOCK_MARGIN_S = 0.1


def compress(audio: np.ndarray, rate: int) -> np.ndarray:
    """A gentle RMS compressor with a 10 ms moving-average detector."""
    from scipy.ndimage import uniform_filter1d

    width = max(rate * COMP_WINDOW_MS // 1000, 1)
    power = uniform_filter1d(np.square(audio, dtype=np.float32), size=width, mode="constant")
    level = 10 * np.log10(np.maximum(power, 1e-12))
    reduction = np.maximum(level - COMP_THRESHOLD_DB, 0.0) * (1 - 1 / COMP_RATIO)
    return (audio * 10 ** (-reduction / 20)).astype(np.float32)


def true_peak_envelope(audio: np.ndarray, rate: int, block: int = 1 << 16) -> np.ndarray:
    """Per sample, the largest magnitude among its four 4x-oversampled neighbours.

    Oversampled a block at a time, so the 4x signal never exists whole.
    """
    out = np.zeros(len(audio), dtype=np.float32)
    stream = soxr.ResampleStream(rate, 4 * rate, 1, dtype="float32", quality="HQ")
    carry, done = np.zeros(0, dtype=np.float32), 0
    for start in range(0, len(audio), block):
        piece = np.asarray(audio[start : start + block], dtype=np.float32)
        up = np.abs(np.concatenate([carry, stream.resample_chunk(piece, last=start + block >= len(audio))]))
        whole = min(len(up) // 4, len(audio) - done)
        out[done : done + whole] = up[: 4 * whole].reshape(whole, 4).max(axis=1)
        carry, done = up[4 * whole :], done + whole
    return out


def limit(
    audio: np.ndarray, rate: int, ceiling_db: float = CEILING_DBTP, envelope: np.ndarray | None = None
) -> np.ndarray:
    """A look-ahead limiter: no (oversampled) peak above ``ceiling_db``, gain changes smoothed.

    ``envelope`` may pass in ``true_peak_envelope(audio)`` when it is already known.
    The needed gain is held with a sliding minimum and then smoothed by a moving
    average no wider than the hold, so the smoothed gain never exceeds what any
    sample needs (each output value averages minima that all include that sample).
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    if envelope is None:
        envelope = true_peak_envelope(audio, rate)
    need = np.minimum(np.float32(1.0), np.float32(ceiling) / np.maximum(envelope, np.float32(1e-12)))
    if need.min() >= 1.0:
        return audio.astype(np.float32)
    width = 2 * (rate * LIMIT_WINDOW_MS // 1000) + 1
    held = minimum_filter1d(need, size=width, mode="nearest")
    gain = uniform_filter1d(held, size=width, mode="nearest")
    return (audio * np.minimum(gain, need)).astype(np.float32)


def process(audio: np.ndarray, rate: int, gain_db: float) -> np.ndarray:
    """The voice chain: compress, apply the session gain, limit."""
    return limit(compress(audio, rate) * np.float32(10 ** (gain_db / 20)), rate)


def blocks(length: int, rate: int) -> Iterator[tuple[int, int, int, int]]:
    """``(lo, hi, start, stop)`` for each block of a clip of ``length`` samples, in order.

    Put ``audio[lo:hi]`` through :func:`process` and keep its samples ``start``
    to ``stop`` (clip positions): they are exactly those of the whole clip.
    """
    margin = int(rate * BLOCK_MARGIN_S)
    for start in range(0, length, BLOCK):
        stop = min(start + BLOCK, length)
        yield max(start - margin, 0), min(stop + margin, length), start, stop


def measure(audio: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS) with BS.1770 gating; short audio is tiled to one gating block."""
    import pyloudnorm

    block = int(0.4 * rate) + 1
    if 0 < len(audio) < block:
        audio = np.tile(audio, block // len(audio) + 1)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
    return float(loudness) if np.isfinite(loudness) else -70.0


def voice_gain(
    clips: list[np.ndarray], rate: int, target: float, codec: Callable[[np.ndarray], np.ndarray] | None = None
) -> float:
    """The gain (dB) that brings these speech clips, through the chain, to ``target`` LUFS.

    ``codec`` round-trips audio through the output encoder; low-bitrate MP3 takes
    about half a loudness unit away, which the gain then gives back.
    """
    if not clips:
        return 0.0
    spacer = np.zeros(int(SPACING_S * rate), dtype=np.float32)
    sample = compress(np.concatenate([part for clip in clips for part in (clip, spacer)]), rate)
    envelope = true_peak_envelope(sample, rate)
    gain = _settle(sample, rate, envelope, target - measure(sample, rate), target)
    if codec is not None:
        scale = np.float32(10 ** (gain / 20))
        limited = limit(sample * scale, rate, envelope=envelope * scale)
        loss = measure(limited, rate) - measure(codec(limited), rate)
        gain = _settle(sample, rate, envelope, gain + loss, target + loss)
    return round(gain, 2)


def _settle(sample: np.ndarray, rate: int, envelope: np.ndarray, gain: float, aim: float) -> float:
    # The limiter takes a little loudness away, more as the gain grows: correct until it settles.
    for _ in range(4):
        scale = np.float32(10 ** (gain / 20))
        error = aim - measure(limit(sample * scale, rate, envelope=envelope * scale), rate)
        gain += error
        if abs(error) < 0.05:
            break
    return gain
