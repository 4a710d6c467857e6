"""Signals around a build: helpers leave Ctrl-C to the build, and a build's last steps are not cut short.

Both change how the process answers a signal, which only the main thread may
do; in any other thread they do nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_STOPS = (signal.SIGINT, signal.SIGTERM)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs (helpers, temporary files)."""


def raise_terminated(signum: int, frame: object) -> None:
    """A SIGTERM handler: raise :class:`Terminated`."""
    raise Terminated


def on_terminate(handler):
    """Install ``handler`` for SIGTERM (only the main thread may); returns the one it replaces."""
    if not _main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGTERM, handler)


@contextmanager
def deaf_children() -> Iterator[None]:
    """Processes started in this block ignore Ctrl-C; the process that started them answers it.

    Ctrl-C reaches the whole process group, and a helper still importing its modules would print a
    traceback. An ignored signal stays ignored across the helper's start, and Python keeps it so.
    A Ctrl-C in the few milliseconds a start takes is lost; only the main thread may do this.
    """
    if not _main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class Finishing:
    """A block whose end, once :meth:`start` is called, no Ctrl-C or SIGTERM cuts short.

    Call :meth:`start` just before the outputs are renamed into place: after
    that the build is done but for cleaning up, and a signal then would leave
    the outputs written and report that nothing was, or break off the clean-up
    halfway. A signal in that stretch is ignored; the handlers are restored at
    the end of the block.
    """

    def __init__(self) -> None:
        self._saved: list[tuple[int, object]] = []

    def __enter__(self) -> Finishing:
        return self

    def start(self) -> None:
        """Ignore Ctrl-C and SIGTERM until the block ends."""
        if _main_thread() and not self._saved:
            self._saved = [(number, signal.signal(number, signal.SIG_IGN)) for number in _STOPS]

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._saved:
            signal.signal(number, handler)
        self._saved.clear()
