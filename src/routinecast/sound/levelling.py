"""Levelling the voice: one gain per voice and loudness target, and every clip through the voice chain.

The gain is measured on ``loudness.CALIBRATION`` spoken by the session's voice
(in a helper process, while the routine's own lines are still being spoken)
and remembered in the store; processed clips are stored too, so a rebuild
levels only what is new.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from ..cache import ClipStore, clip_key
from ..model import Output
from ..pool import Pool, done
from ..speech.clips import ClipRef, to_pcm16
from . import loudness

Codec = Callable[[np.ndarray], np.ndarray]
"""Audio in, the same audio through the output encoder and back."""


def voice_gain(
    store: ClipStore, output: Output, calibration: list[ClipRef], pool: Pool, codec: Codec | None
) -> Future[float]:
    """The voice gain (dB) that brings ``calibration`` (``loudness.CALIBRATION`` in the session's voice),
    through the chain and the output codec, to the loudness target.

    ``codec`` round-trips audio through the output encoder (``None`` for a lossless output).
    Remembered in ``store``; when it is not known yet, it is measured in one of ``pool``'s workers.
    """
    key = clip_key(
        sample=[ref.digest for ref in calibration],
        target=output.loudness,
        chain=loudness.CHAIN,
        codec=(output.format or "mp3", output.bitrate),
    )
    known = store.recall(key)
    if known is not None:
        return done(lambda: known)
    return pool.submit(_measure_voice, store, output, calibration, key, codec)


def _measure_voice(
    store: ClipStore, output: Output, calibration: list[ClipRef], key: str, codec: Codec | None
) -> float:
    rate = output.sample_rate
    gain = loudness.voice_gain([read_clip(store, ref.key) for ref in calibration], rate, output.loudness, codec)
    store.remember(key, gain)
    return gain


def level_clip(store: ClipStore, raw: ClipRef, gain: float, rate: int) -> None:
    """Store the clip ``raw`` through the voice chain at ``gain``, under the key ``level_voice`` expects.

    A block at a time (:func:`loudness.blocks`): only the clip and its levelled
    copy are ever whole, as 16-bit samples.
    """
    clip = _stored(store, raw.key)
    levelled = np.empty_like(clip)
    for lo, hi, start, stop in loudness.blocks(len(clip), rate):
        part = loudness.process(clip[lo:hi].astype(np.float32) / 32768.0, rate, gain)
        levelled[start:stop] = to_pcm16(part[start - lo : stop - lo], overwrite=True)
    store.save(levelled_key(raw, gain), levelled)


def levelled_key(raw: ClipRef, gain: float) -> str:
    """The store key of the clip ``raw`` after the voice chain at ``gain``: made from its content."""
    return clip_key(clip=raw.digest, gain=gain, chain=loudness.CHAIN)


def read_clip(store: ClipStore, key: str) -> np.ndarray:
    """The clip under ``key`` as float32 samples; it must be in the store."""
    clip = _stored(store, key).astype(np.float32)
    clip /= 32768.0  # in place: a long line is tens of megabytes
    return clip


def _stored(store: ClipStore, key: str) -> np.ndarray:
    clip = store.load(key)
    if clip is None:
        raise RuntimeError(f"speech clip {key} vanished from the cache during the build")
    return clip
