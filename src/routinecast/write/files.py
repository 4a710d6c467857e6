"""Atomic output: every file is written beside its target under a temporary name, then renamed.

A failed or interrupted build leaves no half-written file and never touches an
earlier output at the same path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Staging:
    """Temporary files that become real outputs all together on :meth:`commit`.

    Used as a context manager: leaving the block with an exception (or without
    committing) deletes every temporary file.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def path_for(self, target: Path) -> Path:
        """A fresh temporary path in ``target``'s folder (created if needed), with the same suffix."""
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=f"{target.suffix}.part")
        os.close(fd)
        self._pending.append((Path(tmp), target))
        return Path(tmp)

    def write_text(self, target: Path, text: str) -> None:
        """Stage ``text`` (UTF-8) for ``target``."""
        self.path_for(target).write_text(text, encoding="utf-8")

    def commit(self) -> None:
        """Rename every staged file onto its target."""
        for tmp, target in self._pending:
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        self._pending.clear()

    def discard(self) -> None:
        """Delete staged files that were not committed."""
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()
