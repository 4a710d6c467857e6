"""The pyttsx3 engine: espeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS, in worker processes.

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
* a crash or hang inside the library kills only a worker, and becomes an ``EngineError``
  (``workers.WorkerPool``).

On Windows and macOS pyttsx3's own driver writes each line to a file (WAV from
SAPI5, AIFF from NSSpeechSynthesizer, whatever the name says), read by libsndfile
once its size has stopped changing. Those two paths are not run by the tests.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
import wave
from collections.abc import Iterator
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from ..engine import DEFAULT_TIMEOUT_S, VoiceInfo, VoiceSpec
from .espeak_library import choose_library
from .workers import WorkerPool, serve, silence_output, split_text

MAX_PIECE = 4000
"""Longest piece of text given to the driver at once (longer ones crash espeak-ng's)."""
DEFAULT_RATE = 200
"""pyttsx3's own default rate setting (its espeak driver sets it at start-up): speed 1.0."""
RATE_RANGE = (80, 450)
"""The rate settings espeak-ng accepts; a speed is clamped to them."""
WARM_UP_TEXT = "Ready."
ESPEAK = sys.platform.startswith("linux")
"""espeak-ng through a library we load ourselves; elsewhere pyttsx3's own OS driver."""


def rate_setting(speed: float) -> int:
    """The driver's rate setting for a pace ``speed`` times the voice's natural one."""
    return min(max(round(DEFAULT_RATE * speed), RATE_RANGE[0]), RATE_RANGE[1])


# -- the worker process ----------------------------------------------------------------


def _worker(conn: Connection, folder: str, library: str | None, data_path: str | None) -> None:
    silence_output()
    if ESPEAK:
        if data_path:
            os.environ["ESPEAK_DATA_PATH"] = data_path
        # Loaded globally so pyttsx3's own dlopen("libespeak-ng.so.1") finds this copy.
        ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    import pyttsx3

    engine = pyttsx3.init("espeak") if ESPEAK else pyttsx3.init()
    if ESPEAK:
        from pyttsx3.drivers import _espeak
        from pyttsx3.drivers.espeak import EspeakDriver

        default_voice = EspeakDriver._defaultVoice  # not read back: the property can be stale
        synchronize = _espeak.Synchronize
    else:
        default_voice = engine.getProperty("voice")
        synchronize = lambda: None  # noqa: E731  (the other drivers have no command queue to wait for)
    target = os.path.join(folder, f"line-{os.getpid()}.wav")

    def speak(text: str) -> tuple[np.ndarray, int]:
        for _ in range(3):
            if os.path.exists(target):
                os.remove(target)
            engine.save_to_file(text, target)
            engine.runAndWait()
            synchronize()
            result = _read_when_complete(target)
            if result is not None:
                return result
        raise RuntimeError("the engine wrote no audio three times in a row")

    def handle(request: tuple) -> object:
        if request[0] == "voices":
            voices = engine.getProperty("voices")
            return [(v.id, v.name, tuple(str(code) for code in v.languages or ())) for v in voices]
        _, text, voice, speed, volume = request
        engine.setProperty("voice", voice or default_voice)
        engine.setProperty("rate", rate_setting(speed))
        engine.setProperty("volume", volume)
        # espeak-ng applies parameters from its command queue; wait for them to land
        # before the next line, or it may be spoken with the previous rate.
        synchronize()
        chunks, sample_rate = [], 22050
        for piece in split_text(text, MAX_PIECE):
            pcm, sample_rate = speak(piece)
            chunks.append(pcm)
        return np.concatenate(chunks).tobytes(), sample_rate

    speak(WARM_UP_TEXT)
    serve(conn, handle)


def _read_when_complete(path: str, wait: float = 5.0) -> tuple[np.ndarray, int] | None:
    """The audio at ``path`` once the driver has finished writing it, or ``None`` if it stays empty.

    The driver may write the file from its own thread after ``runAndWait`` has
    returned. A WAV is complete when it holds every frame its header announces;
    another format (AIFF from macOS) when its size has stopped changing.
    """
    deadline = time.monotonic() + wait
    last_size = -1
    while True:
        try:
            if ESPEAK:
                with wave.open(path, "rb") as handle:
                    frames = handle.getnframes()
                    pcm = handle.readframes(frames)
                    if frames and len(pcm) == 2 * frames:
                        return np.frombuffer(pcm, dtype="<i2"), handle.getframerate()
            else:
                size = os.path.getsize(path)
                if size and size == last_size:
                    import soundfile

                    samples, rate = soundfile.read(path, dtype="int16", always_2d=True)
                    return np.ascontiguousarray(samples[:, 0]), rate
                last_size = size
        except (OSError, EOFError, RuntimeError, wave.Error):
            pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.002 if ESPEAK else 0.05)


class Pyttsx3Engine:
    """pyttsx3 isolated in up to ``jobs`` worker processes."""

    name = "pyttsx3"

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S):
        self.library, self.data_path = choose_library() if ESPEAK else (None, None)
        advice = "check that espeak-ng or the espeakng-loader package is installed" if ESPEAK else "check pyttsx3"
        self._pool = WorkerPool(
            _worker, (self.library, self.data_path), max(1, jobs or os.cpu_count() or 1), timeout, advice
        )

    def __enter__(self) -> Pyttsx3Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self, voice: str | None = None) -> str:
        """pyttsx3's version and which speech library it drives (the voice is named in the key already)."""
        if not ESPEAK:
            return f"pyttsx3-{metadata.version('pyttsx3')}/{sys.platform}"
        try:
            loader = metadata.version("espeakng-loader") if self.data_path else "system"
        except metadata.PackageNotFoundError:
            loader = "unknown"
        return f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng:{Path(self.library or '').name}:{loader}"

    def voices(self) -> list[VoiceInfo]:
        """The voices the driver offers."""
        voices = self._pool.ask(("voices",), "list its voices")
        if ESPEAK:
            where = "system library" if self.data_path is None else "espeakng-loader wheel"
            source = f"espeak-ng voice data ({where})"
            terms = (
                "espeak-ng and its voice data are GPL-3.0-or-later, which does not cover the speech they make (GPL FAQ)"
            )
        else:
            source = f"{sys.platform} system voice"
            terms = "the operating system's voice terms apply; check them before sharing what you make"
        return [VoiceInfo(i, n, tuple(langs), source, terms) for i, n, langs in voices]

    def synthesize(self, texts: list[str], voice: VoiceSpec) -> Iterator[tuple[str, np.ndarray, int]]:
        """Speak ``texts`` across the workers; yield each result as it arrives."""
        request = lambda text: ("speak", text, voice.id, voice.speed, voice.volume)  # noqa: E731
        for text, (pcm, rate) in self._pool.map(texts, request):
            yield text, np.frombuffer(pcm, dtype="<i2"), rate

    def close(self) -> None:
        """Stop every worker and remove their folder."""
        self._pool.close()
