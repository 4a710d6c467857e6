"""The speech cache: processed clips stored on disk by a hash of everything that shapes them.

Entries are written to a temporary file and linked into place only if no entry
is there yet: the first writer wins, and a build that made the same entry at
the same time takes the stored one instead of its own. The same line spoken
twice need not come out sample for sample the same, so every build sharing a
cache agrees on one clip per key this way. Entries derived from a clip (the
levelled clip, the voice gain) are keyed by its content, not only by its key.

Each entry carries its length and a CRC32; one that fails either check is
deleted, reported as a warning, and made again. Remembered numbers carry a
check of their own, so a hand-edited one is measured again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from .errors import RoutineError

_MAGIC = b"RCCLIP1\n"
_HEADER = struct.Struct("<8sIQ")  # magic, crc32 of the samples, sample count
log = logging.getLogger("routinecast")
CACHE_VARIABLE = "ROUTINECAST_CACHE"
"""The environment variable that names the cache folder."""


def default_cache_dir() -> Path:
    """``$ROUTINECAST_CACHE`` if set, else the user cache directory (XDG on Linux)."""
    override = os.environ.get(CACHE_VARIABLE)
    return Path(override) if override else Path(platformdirs.user_cache_dir("routinecast"))


def clip_key(**parts: object) -> str:
    """A content hash of the keyword arguments (engine, voice, text, sample rate...)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


def content_digest(samples: np.ndarray) -> str:
    """A short hash of a clip's samples, for the keys of entries derived from it."""
    return hashlib.blake2b(np.ascontiguousarray(samples, dtype="<i2").tobytes(), digest_size=12).hexdigest()


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
        log.warning("cache entry %s was damaged; it is made again", path)
        path.unlink(missing_ok=True)
        return None

    def save(self, key: str, samples: np.ndarray) -> np.ndarray:
        """Store ``samples`` under ``key`` unless a sound entry is there already; returns what is stored."""
        clip = np.ascontiguousarray(samples, dtype="<i2")
        body = clip.tobytes()
        path = self._path(key)
        with self._writing():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".clip")
        try:
            with self._writing(), os.fdopen(fd, "wb") as handle:
                handle.write(_HEADER.pack(_MAGIC, zlib.crc32(body), len(body) // 2))
                handle.write(body)
            for _ in range(3):
                try:
                    os.link(tmp, path)  # fails if the entry exists: the first writer wins
                    return clip
                except FileExistsError:
                    stored = self.load(key)  # a damaged one is removed, and the next try links ours
                    if stored is not None:
                        return stored
            raise OSError(f"cache entry {path} keeps changing under this build")
        finally:
            Path(tmp).unlink(missing_ok=True)

    def recall(self, key: str) -> float | None:
        """A number remembered under ``key`` (e.g. a measured gain), or ``None`` if absent or altered."""
        path = self.root / "values" / f"{key}.json"
        try:
            data = json.loads(path.read_text())
            value = float(data["value"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            data, value = {}, None
        if value is not None and data.get("check") == _check(key, value):
            return value
        log.warning("cache entry %s was damaged or edited; it is measured again", path)
        path.unlink(missing_ok=True)
        return None

    def remember(self, key: str, value: float) -> None:
        """Keep ``value`` under ``key``, atomically, with a check that ``recall`` verifies."""
        folder = self.root / "values"
        with self._writing():
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with self._writing(), os.fdopen(fd, "w") as handle:
                json.dump({"value": value, "check": _check(key, value)}, handle)
            os.replace(tmp, folder / f"{key}.json")
        finally:
            Path(tmp).unlink(missing_ok=True)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A full disk or a folder that cannot be written becomes the user's error, naming the cache."""
        try:
            yield
        except OSError as exc:
            if exc.errno is None:
                raise
            raise RoutineError(
                f"{self.root}: cannot write the speech cache ({exc.strerror}); free some space, "
                "choose another folder with --cache-dir, or build with --no-cache"
            ) from None

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


def _check(key: str, value: float) -> str:
    return hashlib.sha256(f"{key}:{value!r}".encode()).hexdigest()[:16]
