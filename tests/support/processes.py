"""Builds run as a command in a process group of their own, so a test can signal it with its helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def start_build(args: list[str], tmp: Path) -> subprocess.Popen:
    """``routinecast *args`` with ``tmp`` as its temporary folder; stderr is piped, stdout dropped."""
    return subprocess.Popen(
        [sys.executable, "-m", "routinecast", *args],
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
