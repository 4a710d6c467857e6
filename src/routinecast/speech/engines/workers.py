"""Worker processes for engines whose libraries must not run in the build's own process.

A library that crashes, hangs or prints kills or silences only its worker: each
request has a deadline, a worker that misses it is killed, and either becomes an
:class:`EngineError` naming the line. Workers ignore Ctrl-C (the build decides
what to do) and live in a folder of their own that goes when the pool closes.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from multiprocessing.connection import Connection, wait
from typing import Any

from ...claims import claimed_folder
from ...errors import EngineError
from ...signals import deaf_children

START_TIMEOUT_S = 30.0
"""Seconds a worker may take to start: importing a library and loading a voice take time on a busy machine."""

Handler = Callable[[tuple], Any]
"""What a worker does with a request; its return value is sent back, an exception reported."""


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at sentence ends where possible."""
    pieces: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?;:])\s+(?!\]\])", text.strip()):  # not inside a [[ phonemes. ]] block
        while len(sentence) > limit:  # one enormous sentence: cut at a space
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return [p for p in pieces if p]


def serve(conn: Connection, handle: Handler) -> None:
    """A worker's loop, after its set-up: say ready, then answer requests until the pipe closes."""
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", handle(request)))
        except Exception as exc:  # reported to the parent, which names the line
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def silence_output() -> None:
    """Send a worker's stdout and stderr (Python's and the C libraries') to /dev/null; failures go through the pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")


class _Worker:
    def __init__(self, context, target: Callable, args: tuple):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), daemon=True)
        with deaf_children():
            self.process.start()
        child.close()
        self.task: str | None = None
        self.deadline = 0.0

    def wait_ready(self, timeout: float, what: str) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise EngineError(f"speech engine did not start within {timeout:.0f}s")
        try:
            self.conn.recv()
        except EOFError:
            code = self.kill()
            raise EngineError(f"speech engine failed to start (worker exited with code {code}); {what}") from None

    def kill(self) -> int | None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode


class WorkerPool:
    """Up to ``jobs`` processes running ``target(conn, folder, *args)``, which sets up and calls :func:`serve`.

    ``folder`` is a temporary folder the workers may write in. ``what`` is the
    advice given when a worker fails to start.
    """

    def __init__(self, target: Callable, args: tuple, jobs: int, timeout: float, what: str):
        self.target, self.args, self.jobs, self.timeout, self.what = target, args, jobs, timeout, what
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        # The folder goes with close(), even when a worker was killed,
        # and the next pool removes it if this whole process was killed.
        self._claims = ExitStack()
        self._folder: str | None = None

    def _spawn(self, count: int) -> None:
        if self._folder is None:
            self._folder = str(self._claims.enter_context(claimed_folder("routinecast-tts-")))
        # Started together, then awaited: loading a voice model takes seconds in each.
        args = (self._folder, *self.args)
        new = [_Worker(self._context, self.target, args) for _ in range(count - len(self._workers))]
        self._workers += new
        for worker in new:
            worker.wait_ready(max(self.timeout, START_TIMEOUT_S), self.what)

    def ask(self, request: tuple, what: str) -> Any:
        """One worker's answer to ``request`` (``what`` names it in a timeout message)."""
        self._spawn(1)
        worker = self._workers[0]
        worker.conn.send(request)
        if not worker.conn.poll(self.timeout):
            self.close()
            raise EngineError(f"speech engine did not {what} within {self.timeout:.0f}s")
        status, payload = worker.conn.recv()
        if status != "ok":
            self.close()
            raise EngineError(f"speech engine could not {what}: {payload}")
        return payload

    def map(self, texts: list[str], request: Callable[[str], tuple]) -> Iterator[tuple[str, Any]]:
        """``(text, answer)`` for ``request(text)`` of every text, spread over the workers, as each arrives."""
        pending = list(reversed(texts))
        if not pending:
            return
        self._spawn(min(self.jobs, len(pending)))
        busy: dict[Connection, _Worker] = {}
        while pending or busy:
            for worker in self._workers:
                if worker.task is None and pending:
                    worker.task = pending.pop()
                    limit = self.timeout + len(worker.task) / 100  # long lines get longer
                    worker.deadline = time.monotonic() + limit
                    busy[worker.conn] = worker
                    try:
                        worker.conn.send(request(worker.task))
                    except OSError:  # the worker is gone; recv below reports it
                        pass
            soonest = min(w.deadline for w in busy.values())
            ready = wait(list(busy), timeout=max(soonest - time.monotonic(), 0))
            if not ready:
                late = next(w for w in busy.values() if w.deadline <= time.monotonic())
                self.close()
                raise EngineError(f"speech engine hung on: {quote(late.task)} (no answer in {self.timeout:.0f}s)")
            for conn in ready:
                worker = busy.pop(conn)
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode if not worker.process.is_alive() else worker.kill()
                    self.close()
                    raise EngineError(f"speech engine crashed (exit code {code}) on: {quote(worker.task)}") from None
                text, worker.task = worker.task, None
                if status != "ok":
                    self.close()
                    raise EngineError(f"speech engine failed on {quote(text)}: {payload}")
                yield text, payload

    def close(self) -> None:
        """Stop every worker and remove their folder."""
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._claims.close()
        self._folder = None


def quote(text: str | None) -> str:
    """``text`` as a message shows it: quoted, and cut to 60 characters."""
    text = text or ""
    return repr(text if len(text) <= 60 else text[:57] + "...")
