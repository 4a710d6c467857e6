"""The speech cache: processed clips stored on disk by a hash of everything that shapes them.

Entries are written to a temporary file and renamed into place, so readers
never see half an entry, and two builds sharing the cache at once are safe.
Each entry carries its length and a CRC32; one that fails either check is
deleted and made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

_MAGIC = b"RCCLIP1\n"
_HEADER = struct.Struct("<8sIQ")  # magic, crc32 of the samples, sample count


def default_cache_dir() -> Path:
    """``$ROUTINECAST_CACHE`` if set, else the user cache directory (XDG on Linux)."""
    override = os.environ.get("ROUTINECAST_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("routinecast"))


def clip_key(**parts: object) -> str:
    """A content hash of the keyword arguments (engine, voice, text, sample rate...)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


@dataclass
class ClipStore:
    """A folder of clips (mono int16 samples) addressed by key."""

    root: Path
    """The folder; created on first write."""

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    def _path(self, key: str) -> Path:
        return self.root / "clips" / key[:2] / f"{key}.clip"

    def load(self, key: str) -> np.ndarray | None:
        """The clip stored under ``key``, or ``None`` if absent or damaged (a damaged one is removed)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) >= _HEADER.size:
            magic, crc, count = _HEADER.unpack_from(data)
            body = memoryview(data)[_HEADER.size :]
            if magic == _MAGIC and len(body) == 2 * count and zlib.crc32(body) == crc:
                return np.frombuffer(body, dtype="<i2").copy()
        path.unlink(missing_ok=True)
        return None

    def length(self, key: str) -> int | None:
        """The stored clip's sample count, read from its header only (no integrity check)."""
        try:
            with self._path(key).open("rb") as handle:
                magic, _, count = _HEADER.unpack(handle.read(_HEADER.size))
        except (OSError, struct.error):
            return None
        return count if magic == _MAGIC else None

    def save(self, key: str, samples: np.ndarray) -> None:
        """Store ``samples`` under ``key`` atomically."""
        body = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".clip")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_HEADER.pack(_MAGIC, zlib.crc32(body), len(body) // 2))
                handle.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def recall(self, key: str) -> float | None:
        """A number remembered under ``key`` (e.g. a measured gain), or ``None``."""
        try:
            return float(json.loads((self.root / "values" / f"{key}.json").read_text())["value"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, key: str, value: float) -> None:
        """Keep ``value`` under ``key``, atomically."""
        folder = self.root / "values"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w") as handle:
            json.dump({"value": value}, handle)
        os.replace(tmp, folder / f"{key}.json")

    def info(self) -> tuple[int, int]:
        """(number of clips, bytes on disk)."""
        files = list((self.root / "clips").glob("*/*.clip"))
        return len(files), sum(f.stat().st_size for f in files)

    def clear(self) -> int:
        """Delete every clip; returns how many there were."""
        count, _ = self.info()
        shutil.rmtree(self.root / "clips", ignore_errors=True)
        shutil.rmtree(self.root / "values", ignore_errors=True)
        return count
