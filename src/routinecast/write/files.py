"""Atomic output: every file is written beside its target under a temporary name, then renamed.

A failed or interrupted build leaves no half-written file and never touches an
earlier output at the same path; the temporary files of a build that was killed
outright are removed by the next build of the same output.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..claims import claimed_file, release, sweep
from ..errors import RoutineError


class Staging:
    """Temporary files that become real outputs all together on :meth:`commit`.

    Used as a context manager: leaving the block with an exception (or without
    committing) deletes every temporary file.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path, int]] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def path_for(self, target: Path) -> Path:
        """A fresh temporary path in ``target``'s folder (created if needed), with the same suffix."""
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix, suffix = f".{target.stem}.", f"{target.suffix}.part"
        sweep(target.parent, f"{prefix}*{suffix}")
        tmp, claim = claimed_file(target.parent, prefix, suffix)
        self._pending.append((tmp, target, claim))
        return tmp

    def write_text(self, target: Path, text: str) -> None:
        """Stage ``text`` (UTF-8) for ``target``."""
        self.path_for(target).write_text(text, encoding="utf-8")

    def commit(self) -> None:
        """Rename every staged file onto its target, with the permissions the umask gives new files."""
        mode = 0o666 & ~_umask()
        for tmp, target, claim in self._pending:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            release(claim)
        self._pending.clear()

    def discard(self) -> None:
        """Delete staged files that were not committed."""
        for tmp, _, claim in self._pending:
            tmp.unlink(missing_ok=True)
            release(claim)
        self._pending.clear()


def _umask() -> int:
    # Python can only read the umask by setting it; it is put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_outputs(routine: Path, audio: Path, sides: dict[str, str | Path | None]) -> None:
    """Refuse outputs that would overwrite the routine or each other (``sides``: option name to path)."""
    named = [("the audio output", audio)] + [(option, Path(p)) for option, p in sides.items() if p]
    taken = [("the routine file", routine)]
    for what, path in named:
        for other, earlier in taken:
            if _same_file(path, earlier):
                raise RoutineError(f"{path}: {what} would overwrite {other}; choose another path")
        taken.append((what, path))


def write_failure(exc: OSError, target: Path) -> RoutineError:
    """The one-line error for an output that could not be written to ``target``: the folder (or file) at fault
    and what to do about it (a full disk or a folder that cannot be written is the user's to fix)."""
    where = Path(exc.filename or target)
    where = where.parent if ".part" in where.name or where == target else where
    todo = "free some space or choose another folder" if exc.errno == errno.ENOSPC else "choose another folder"
    return RoutineError(f"{where}: cannot write the output there ({exc.strerror}); {todo}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False
