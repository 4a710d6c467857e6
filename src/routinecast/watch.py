"""Rebuilding on save: the routine's folder is watched, and each save in it starts a build."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from threading import Event

from watchfiles import Change, DefaultFilter, watch

SETTLE_MS = 300
"""Changes this close together are one save: editors write a file in several steps (and some rename it)."""


WAKE_MS = 500
"""How often the watcher wakes when nothing changes (the first wake starts the first build)."""


class _Inputs(DefaultFilter):
    """Saved files in the watched folder, less what the builds write and what editors and builds keep hidden."""

    def __init__(self, written: set[Path]):
        super().__init__()
        self.written = written

    def __call__(self, change: Change, path: str) -> bool:
        where = Path(path).resolve()
        if where.name.startswith(".") or where.is_dir():  # a build's temporary files, an editor's swap files
            return False
        return super().__call__(change, path) and not any(where == p or p in where.parents for p in self.written)


def watch_routine(
    routine: Path, rebuild: Callable[[], Iterable[Path]], stop: Event | None = None, settle_ms: int = SETTLE_MS
) -> None:
    """Call ``rebuild()`` now and after every save of a file in ``routine``'s folder or below it, until
    ``stop`` is set (or Ctrl-C, which raises ``KeyboardInterrupt``).

    ``rebuild`` reports its own outcome and returns the files and folders it wrote (outputs, the speech
    cache): changes there are not saves. Included files and sounds are found wherever they are in the
    folder; a file outside it (``include: ../x.yaml``) is not watched.
    """
    written: set[Path] = set()
    started = False
    # The watcher runs from its first (empty, timed-out) answer on, so a save during the first build counts.
    for changes in watch(
        routine.resolve().parent,
        watch_filter=_Inputs(written),
        debounce=settle_ms,
        stop_event=stop,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
    ):
        if changes or not started:
            started = True
            written.update(Path(p).resolve() for p in rebuild())
