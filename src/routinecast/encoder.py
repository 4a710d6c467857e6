"""Encode a stream of samples to MP3 (or WAV) with libsndfile, through the soundfile package.

libsndfile drives LAME and, because it writes to a seekable file, fills in
LAME's Info (Xing) frame with the encoder delay and padding when it closes.
Decoders that honour it (mpg123, ffmpeg) then give back exactly the session's
samples, and players show the right duration.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable

import numpy as np
import soundfile

FORMATS = ("mp3", "wav")


def mp3_compression_level(bitrate: int, sample_rate: int) -> float:
    """The libsndfile compression level that makes LAME use ``bitrate`` kbit/s at constant rate.

    libsndfile maps the level linearly onto [320, 32] kbit/s (MPEG-1 rates) or
    [160, 8] (lower rates) and truncates; aiming a quarter kbit/s above the
    bitrate keeps the truncation from landing one below.
    """
    top, bottom = (320.0, 32.0) if sample_rate >= 32000 else (160.0, 8.0)
    return min(max((top - bitrate - 0.25) / (top - bottom), 0.0), 1.0)


def _options(fmt: str, bitrate: int, sample_rate: int) -> dict:
    if fmt == "mp3":
        return dict(format="MP3", subtype="MPEG_LAYER_III", bitrate_mode="CONSTANT",
                    compression_level=mp3_compression_level(bitrate, sample_rate))
    return dict(format="WAV", subtype="PCM_16")


def round_trip(audio: np.ndarray, sample_rate: int, bitrate: int) -> np.ndarray:
    """``audio`` encoded to MP3 and decoded again, in memory: what a listener's decoder gets."""
    buffer = io.BytesIO()
    with soundfile.SoundFile(buffer, "w", sample_rate, 1, **_options("mp3", bitrate, sample_rate)) as out:
        out.write(np.clip(audio, -1.0, 1.0))
    buffer.seek(0)
    return soundfile.read(buffer, dtype="float32")[0]


def encode(path: Path, chunks: Iterable[np.ndarray], sample_rate: int, fmt: str, bitrate: int) -> int:
    """Write mono float32 ``chunks`` to ``path`` as ``fmt``; returns the number of samples written."""
    written = 0
    with soundfile.SoundFile(str(path), "w", sample_rate, 1, **_options(fmt, bitrate, sample_rate)) as out:
        for chunk in chunks:
            # libsndfile wraps rather than clips out-of-range floats in integer formats.
            out.write(np.clip(chunk, -1.0, 1.0))
            written += len(chunk)
    return written
