"""Helper processes for a build's parallel work: levelling speech, measuring the voice, encoding parts.

They are started as a build begins, so their start-up overlaps synthesis.
Jobs read the timeline and the audio bank from one file written per build,
and write their frames to files, so nothing large crosses a pipe and memory
stays flat however long the session is.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, TypeVar

from . import encoder
from .errors import RoutinecastError
from .segments import Part

if TYPE_CHECKING:
    from .sources import AudioBank
    from .timeline import Timeline

T = TypeVar("T")


class Pool:
    """Up to ``jobs`` spawned worker processes, started on first use; with one job, the calling process.

    Use as a context manager.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.parallel = jobs > 1
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Run ``fn(*args)`` in a worker (or right here); its future."""
        if self.parallel:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_ignore_interrupts)
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

    def encode_mp3(self, handle: BinaryIO, timeline: Timeline, bank: AudioBank, parts: list[Part], bitrate: int,
                   progress: Callable[[int], None] | None = None) -> int:
        """Encode ``parts`` across the workers into ``handle`` as one MP3; returns the samples written.

        ``progress`` hears the samples finished so far, in order.

        Silent parts are copied from frames of silence; the others are encoded
        by the workers, all at once, and appended as each one's turn comes.
        """
        rate = timeline.sample_rate
        frame = encoder.frame_samples(rate)
        # A part still being written when a build is stopped may keep the folder from going at once.
        with tempfile.TemporaryDirectory(prefix="routinecast-parts-", ignore_cleanup_errors=True) as folder:
            plan = Path(folder) / "plan.pickle"
            plan.write_bytes(pickle.dumps((timeline, bank), protocol=pickle.HIGHEST_PROTOCOL))
            futures: dict[int, tuple[Path, Future]] = {}
            for i, part in enumerate(parts):
                if not part.silent:
                    frames = part.length // frame if i + 1 < len(parts) else None
                    path = Path(folder) / f"{i}.mp3"
                    futures[i] = path, self.submit(_encode_part, plan, part, rate, bitrate, frames, path)
            stream = encoder.Mp3Stream(handle, rate, bitrate)
            try:
                for i, part in enumerate(parts):
                    if part.silent:
                        stream.silence(part.length // frame)
                    else:
                        path, future = futures.pop(i)
                        frames, samples = result(future)
                        with open(path, "rb") as source:
                            stream.copy(source, frames, samples)
                        path.unlink()
                    if progress:
                        progress(part.end)
            finally:
                for _, future in futures.values():
                    future.cancel()
            return stream.close()


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


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the main process alone answers it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_plan: tuple[Path, tuple[Timeline, AudioBank]] | None = None


def _encode_part(plan: Path, part: Part, rate: int, bitrate: int, frames: int | None, out: Path) -> tuple[int, int]:
    global _plan
    if _plan is None or _plan[0] != plan:
        _plan = plan, pickle.loads(plan.read_bytes())
    from . import mixer  # it needs the audio bank, which needs this module

    timeline, bank = _plan[1]
    with open(out, "wb") as handle:
        chunks = mixer.stream(timeline, bank, start=part.start, end=part.end)
        return encoder.encode_part(handle, chunks, rate, bitrate, frames)
