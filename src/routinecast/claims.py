"""Temporary files and folders claimed by a running build, and the sweeping-up of a killed build's.

A build holds an exclusive ``flock`` on each of its temporary files (for a
folder, on a ``.claim`` file inside it) until it removes them. The kernel drops
the lock when the process dies, however it dies (SIGKILL included), so a later
build that can take the lock knows the owner is gone and removes the leftover;
one it cannot lock belongs to a build still running and is left alone.
Without ``fcntl`` (Windows) nothing is locked and nothing is swept.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

CLAIM = ".claim"


def _lock(fd: int) -> bool:
    if fcntl is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def claimed_file(folder: Path, prefix: str, suffix: str) -> tuple[Path, int]:
    """A new empty file in ``folder``, locked; returns its path and the descriptor holding the lock.

    The file is made under another name and renamed once locked, so a sweeper
    never sees it unlocked.
    """
    made, fd = _locked(folder, prefix, f"{suffix}.new")
    path = made.with_name(made.name.removesuffix(".new"))
    os.rename(made, path)
    return path, fd


def _locked(folder: Path, prefix: str, suffix: str) -> tuple[Path, int]:
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    _lock(fd)
    return Path(name), fd


@contextmanager
def claimed_folder(prefix: str) -> Iterator[Path]:
    """A new folder in the temporary folder, locked while the block runs and removed after it.

    Leftovers with the same ``prefix`` from builds that were killed are removed first.
    """
    sweep(Path(tempfile.gettempdir()), f"{prefix}*")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    made, fd = _locked(folder, CLAIM, "")
    os.rename(made, folder / CLAIM)  # a sweeper opens the claim by this name only once it is locked
    try:
        yield folder
    finally:
        # Remove while still holding the lock, so no sweeper takes a folder in use.
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def sweep(folder: Path, pattern: str) -> int:
    """Remove the entries of ``folder`` matching ``pattern`` whose owner has died; returns how many."""
    if fcntl is None:
        return 0
    removed = 0
    for path in folder.glob(pattern):
        lock = path / CLAIM if path.is_dir() and not path.is_symlink() else path
        try:
            fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:  # gone already, not ours, or a folder made but not yet claimed
            continue
        try:
            if _lock(fd):
                if lock is path:
                    path.unlink(missing_ok=True)
                else:
                    shutil.rmtree(path, ignore_errors=True)
                removed += 1
        finally:
            os.close(fd)
    return removed


def release(fd: int) -> None:
    """Drop a claim taken by :func:`claimed_file` (after its file was renamed or removed)."""
    with suppress(OSError):
        os.close(fd)
