"""The default engine: pyttsx3 (espeak-ng on Linux), run in worker processes.

pyttsx3 2.99 on Linux has traps; each is neutralised here:

* queued ``save_to_file`` calls write only the last file -> one file per ``runAndWait``;
* ``runAndWait`` may return before the file is written (we saw it on the first
  call, and under load later too) -> a warm-up utterance at start,
  ``_espeak.Synchronize()`` after every call, the old file deleted first, and the
  new one read only once it holds every frame its header announces (else spoken again);
* text over ~13,000 characters crashes the driver -> lines are split at
  sentence boundaries into pieces of at most ``MAX_PIECE`` characters;
* an unwritable output path hangs ``runAndWait`` -> we write only to our own temporary folder,
  and every request has a timeout after which the worker is killed;
* ``setProperty`` swallows errors (an unknown voice) and ``getProperty('rate')`` can be
  stale -> voices are resolved against the voice list first, and every property
  is set before every line, never read back;
* a rate set between two lines can be skipped by espeak-ng's command queue (we saw a
  line spoken at the previous rate about one time in three) -> ``Synchronize()``
  after setting the properties;
* the driver's own start-up settings can be lost the same way (one fresh engine in
  eight spoke every line at espeak-ng's 175 words a minute instead of pyttsx3's 200)
  -> the voice and rate are set for every line even when the routine leaves them to
  the engine: pyttsx3's default voice and ``DEFAULT_RATE``;
* with the ``espeakng-loader`` library and no ``ESPEAK_DATA_PATH`` the process
  exits -> the variable is set before the library loads;
* "Audio saved to ..." on stdout -> the worker's stdout is sent to /dev/null;
* empty text raises -> empty pieces are never sent;
* a crash or hang inside the library kills only a worker, and becomes an ``EngineError``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import re
import sys
import time
import wave
from collections.abc import Iterator
from contextlib import ExitStack
from importlib import metadata
from multiprocessing.connection import Connection, wait
from pathlib import Path

import numpy as np

from ...claims import claimed_folder
from ...errors import EngineError
from ...signals import deaf_children
from ..engine import DEFAULT_TIMEOUT_S, VoiceInfo, VoiceSpec
from .espeak_library import choose_library

MAX_PIECE = 4000
# pyttsx3's own default rate (its espeak driver sets it at start-up), in words per minute.
DEFAULT_RATE = 200
WARM_UP_TEXT = "Ready."


def split_text(text: str, limit: int = MAX_PIECE) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at sentence ends where possible."""
    pieces: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?;:])\s+", text.strip()):
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


# -- the worker process ----------------------------------------------------------------


def _worker(conn: Connection, library: str, data_path: str | None, folder: str) -> None:
    # Keep pyttsx3's prints and the C library's messages off our stdout and stderr;
    # failures come back through the pipe instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    if data_path:
        os.environ["ESPEAK_DATA_PATH"] = data_path
    # Loaded globally so pyttsx3's own dlopen("libespeak-ng.so.1") finds this copy.
    ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    import pyttsx3
    from pyttsx3.drivers import _espeak
    from pyttsx3.drivers.espeak import EspeakDriver

    engine = pyttsx3.init("espeak")
    target = os.path.join(folder, f"line-{os.getpid()}.wav")

    def speak(text: str) -> tuple[bytes, int]:
        for _ in range(3):
            if os.path.exists(target):
                os.remove(target)
            engine.save_to_file(text, target)
            engine.runAndWait()
            _espeak.Synchronize()
            result = _read_when_complete(target)
            if result is not None:
                return result
        raise RuntimeError("the engine wrote no audio three times in a row")

    speak(WARM_UP_TEXT)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request[0] == "voices":
            voices = [(v.id, v.name, tuple(v.languages or ())) for v in engine.getProperty("voices")]
            conn.send(("ok", voices))
        elif request[0] == "speak":
            _, text, voice, rate, volume = request
            try:
                engine.setProperty("voice", voice or EspeakDriver._defaultVoice)
                engine.setProperty("rate", rate or DEFAULT_RATE)
                engine.setProperty("volume", volume)
                # espeak-ng applies parameters from its command queue; wait for them to land
                # before the next line, or it may be spoken with the previous rate.
                _espeak.Synchronize()
                chunks, sample_rate = [], 22050
                for piece in split_text(text):
                    pcm, sample_rate = speak(piece)
                    chunks.append(pcm)
                conn.send(("ok", (b"".join(chunks), sample_rate)))
            except Exception as exc:  # reported to the parent, which names the line
                conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _read_when_complete(path: str, wait: float = 5.0) -> tuple[bytes, int] | None:
    """The WAV at ``path`` once the driver has finished writing it, or ``None`` if it stays empty.

    The driver writes the file from espeak-ng's own thread, sometimes after
    ``runAndWait`` has returned; a file is complete when it holds every frame its
    header announces.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            with wave.open(path, "rb") as handle:
                frames = handle.getnframes()
                pcm = handle.readframes(frames)
                if frames and len(pcm) == 2 * frames:
                    return pcm, handle.getframerate()
        except (OSError, EOFError, wave.Error):
            pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.002)


class _Worker:
    def __init__(self, context, library: str, data_path: str | None, folder: str, timeout: float):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, library, data_path, folder), daemon=True)
        with deaf_children():
            self.process.start()
        child.close()
        self.task: str | None = None
        self.deadline = 0.0
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise EngineError(f"speech engine did not start within {timeout:.0f}s")
        try:
            self.conn.recv()
        except EOFError:
            code = self.kill()
            raise EngineError(
                f"speech engine failed to start (worker exited with code {code}); "
                "check that espeak-ng or the espeakng-loader package is installed"
            ) from None

    def kill(self) -> int | None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode


class Pyttsx3Engine:
    """pyttsx3 with espeak-ng, isolated in up to ``jobs`` worker processes."""

    name = "pyttsx3"

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self.library, self.data_path = choose_library()
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        # The workers' files live here; the folder goes with close(), even when a worker was killed,
        # and the next engine removes it if this whole process was killed.
        self._claims = ExitStack()
        self._folder: str | None = None

    def __enter__(self) -> Pyttsx3Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self, count: int) -> None:
        if self._folder is None:
            self._folder = str(self._claims.enter_context(claimed_folder("routinecast-tts-")))
        while len(self._workers) < count:
            # Starting a worker imports the library and speaks a warm-up line: give it time
            # even when a short per-line timeout is asked for.
            worker = _Worker(self._context, self.library, self.data_path, self._folder, max(self.timeout, 30.0))
            self._workers.append(worker)

    def identity(self) -> str:
        """pyttsx3 and espeak-ng versions, and which espeak-ng library is used."""
        try:
            loader = metadata.version("espeakng-loader") if self.data_path else "system"
        except metadata.PackageNotFoundError:
            loader = "unknown"
        return f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng:{Path(self.library).name}:{loader}"

    def voices(self) -> list[VoiceInfo]:
        """The voices espeak-ng offers."""
        self._spawn(1)
        worker = self._workers[0]
        worker.conn.send(("voices",))
        if not worker.conn.poll(self.timeout):
            self.close()
            raise EngineError(f"speech engine did not list its voices within {self.timeout:.0f}s")
        _, voices = worker.conn.recv()
        where = "system library" if self.data_path is None else "espeakng-loader wheel"
        source = f"espeak-ng voice data ({where})"
        terms = "espeak-ng and its voice data are GPL-3.0-or-later, which does not cover the speech they make (GPL FAQ)"
        return [VoiceInfo(i, n, tuple(langs), source, terms) for i, n, langs in voices]

    def synthesize(self, texts: list[str], voice: VoiceSpec) -> Iterator[tuple[str, np.ndarray, int]]:
        """Speak ``texts`` across the workers; yield each result as it arrives."""
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
                        worker.conn.send(("speak", worker.task, voice.id, voice.rate, voice.volume))
                    except OSError:  # the worker is gone; recv below reports it
                        pass
            soonest = min(w.deadline for w in busy.values())
            ready = wait(list(busy), timeout=max(soonest - time.monotonic(), 0))
            if not ready:
                late = next(w for w in busy.values() if w.deadline <= time.monotonic())
                self.close()
                raise EngineError(f"speech engine hung on: {_quote(late.task)} (no answer in {self.timeout:.0f}s)")
            for conn in ready:
                worker = busy.pop(conn)
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode if not worker.process.is_alive() else worker.kill()
                    self.close()
                    raise EngineError(f"speech engine crashed (exit code {code}) on: {_quote(worker.task)}") from None
                text, worker.task = worker.task, None
                if status != "ok":
                    self.close()
                    raise EngineError(f"speech engine failed on {_quote(text)}: {payload}")
                pcm, rate = payload
                yield text, np.frombuffer(pcm, dtype="<i2"), rate

    def close(self) -> None:
        """Stop every worker and remove their folder."""
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._claims.close()
        self._folder = None


def _quote(text: str | None) -> str:
    text = text or ""
    return repr(text if len(text) <= 60 else text[:57] + "...")
