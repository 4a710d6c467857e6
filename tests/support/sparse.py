"""Large files made in an instant: headers that claim the size, over sparse files that hold no samples."""

from __future__ import annotations

import struct
from pathlib import Path


def sparse_wav(path: Path, channels: int, rate: int, seconds: float) -> Path:
    """A 16-bit WAV whose header and size say ``seconds`` long, made without writing its samples."""
    data = int(seconds * rate) * channels * 2
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
    with open(path, "wb") as handle:
        handle.write(b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + fmt + b"data" + struct.pack("<I", data))
        handle.truncate(44 + data)
    return path


def sparse_file(path: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that starts with ``head`` and is zeros (unwritten) after it."""
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path
