"""Audio files from a stream of samples: MP3 through ``mp3``, WAV through libsndfile."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import soundfile

from .mp3 import write_mp3


def encode(
    path: Path, chunks: Iterable[np.ndarray], sample_rate: int, fmt: str, bitrate: int, info: dict[str, str]
) -> int:
    """Write mono float32 ``chunks`` to ``path`` as ``fmt``; returns the number of samples written.

    ``info`` (from ``tags.wav_info``) becomes a WAV's LIST/INFO chunk; an MP3 is tagged afterwards.
    """
    if fmt == "wav":
        written = 0
        with soundfile.SoundFile(str(path), "w", sample_rate, 1, format="WAV", subtype="PCM_16") as out:
            for field, text in info.items():
                setattr(out, field, text)
            for chunk in chunks:
                # libsndfile wraps rather than clips out-of-range floats in integer formats.
                out.write(np.clip(chunk, -1.0, 1.0))
                written += len(chunk)
        return written
    with open(path, "w+b") as handle:
        return write_mp3(handle, chunks, sample_rate, bitrate)
