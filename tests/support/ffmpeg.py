"""ffmpeg for the sound-format tests: imageio-ffmpeg's binary (CI has no system ffmpeg), put on the PATH
as ``ffmpeg`` the way a user's would be, and used to make m4a and webm files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.decoders import FFMPEG


def on_path(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put imageio-ffmpeg's binary first on the PATH as ``ffmpeg``, with no ffprobe beside it."""
    folder.mkdir(exist_ok=True)
    (folder / "ffmpeg").symlink_to(FFMPEG)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def convert(source: Path, target: Path, *options: str) -> Path:
    """``source`` converted by ffmpeg to ``target`` (its kind from the extension unless ``options`` say)."""
    return _make(target, "-i", str(source), *options)


def generate(source: str, target: Path, *options: str) -> Path:
    """Audio (or video) from one of ffmpeg's own sources (``sine=d=1``, ``anullsrc``...) written to ``target``."""
    return _make(target, "-f", "lavfi", "-i", source, *options)


def _make(target: Path, *args: str) -> Path:
    done = subprocess.run([FFMPEG, "-v", "error", "-y", *args, str(target)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return target
