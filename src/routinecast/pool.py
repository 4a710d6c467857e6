"""Helper processes for a build's parallel work (levelling speech, measuring the voice, encoding parts).

Workers start on first use, so a build that needs none starts none, and
their start-up overlaps whatever the build does next.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .errors import RoutinecastError
from .signals import deaf_children

T = TypeVar("T")


class Pool:
    """Up to ``jobs`` spawned worker processes, started on first use; with one job, the calling process.

    Use as a context manager.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.parallel = jobs > 1
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Run ``fn(*args)`` in a worker (or right here); its future."""
        if self.parallel:
            with deaf_children():  # workers may be started by any submit
                if self._executor is None:
                    self._executor = ProcessPoolExecutor(
                        self.jobs,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=_start_worker,
                        initargs=(os.getpid(), [type(h) for h in logging.getLogger("routinecast").handlers]),
                    )
                    for _ in range(self.jobs - 1):  # start them all now, while this job runs
                        self._executor.submit(os.getpid)
                return self._executor.submit(fn, *args)
        return done(fn, *args)

    def map(self, fn: Callable[..., T], *iterables: Iterable[object]) -> list[T]:
        """``fn`` over the zipped ``iterables``, in parallel; results in order."""
        futures = [self.submit(fn, *args) for args in zip(*iterables)]
        try:
            return [result(future) for future in futures]
        finally:
            for future in futures:
                future.cancel()


def done(fn: Callable[..., T], *args: object) -> Future[T]:
    """A future already holding ``fn(*args)``, or the exception it raised."""
    future: Future[T] = Future()
    try:
        future.set_result(fn(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


def result(future: Future[T]) -> T:
    """``future``'s result; a worker that died becomes a :class:`RoutinecastError`."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise RoutinecastError("a helper process died; try again, or build with --jobs 1") from None


def _start_worker(parent: int, handlers: list[type[logging.Handler]]) -> None:
    # The library's warnings reach the user the same way from a helper as from the building process.
    log = logging.getLogger("routinecast")
    for handler in handlers:
        log.addHandler(handler())
    log.propagate = not handlers
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    # A helper whose build was killed outright (SIGKILL to it alone) would live on, orphaned: its task
    # queue stays open, since the helpers themselves hold both of its ends. The parent's pid is passed
    # in, for a build killed while this helper was still starting has another parent already.

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="routinecast-parent-watch", daemon=True).start()
