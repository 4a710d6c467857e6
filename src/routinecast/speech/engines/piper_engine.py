"""The Piper engine: a neural voice, offline, from the ``piper`` extra (``pip install 'routinecast[piper]'``).

Each worker process loads a model once and runs onnxruntime on one thread, so
lines are spoken on every core without the threads fighting. Synthesis is made
deterministic (no noise: ``noise_scale`` and ``noise_w_scale`` 0), so a line
spoken twice is the same to the sample. Piper's own per-sentence peak
normalisation is off, because routinecast levels the voice as a whole; Piper
joins sentences with shorter pauses than it makes at commas, so the sentences
are trimmed and joined here with a longer pause of our own.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from ...errors import EngineError
from ..clips import audible_span
from ..engine import DEFAULT_TIMEOUT_S, VoiceInfo, VoiceSpec, match_voice
from . import piper_voices
from .workers import WorkerPool, serve, silence_output, split_text

DEFAULT_VOICE = "en_US-joe-medium"
"""The voice used when a routine names none, if it is installed."""
SENTENCE_PAUSE_MS = 450
"""Silence between two sentences of a line at the voice's natural pace (longer than Piper's pause at a
comma); it grows as the pace slows."""
MAX_PIECE = 400
"""Longest text given to the model at once: attention costs grow with the square of a sentence's length."""


# -- the worker process ----------------------------------------------------------------


def _worker(conn: Connection, folder: str, first_model: str) -> None:
    silence_output()
    import onnxruntime
    from piper import PiperVoice, SynthesisConfig
    from piper.config import PiperConfig

    loaded: dict[str, PiperVoice] = {}

    def load(model: str) -> PiperVoice:
        if model not in loaded:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
            session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
            loaded[model] = PiperVoice(session=session, config=PiperConfig.from_dict(config))
        return loaded[model]

    def handle(request: tuple) -> object:
        _, text, model, speed, volume = request
        voice = load(model)
        settings = SynthesisConfig(
            noise_scale=0.0,
            noise_w_scale=0.0,
            length_scale=voice.config.length_scale / speed,
            normalize_audio=False,
            volume=volume,
        )
        rate = voice.config.sample_rate
        pause = np.zeros(round(rate * SENTENCE_PAUSE_MS / 1000 / speed), dtype=np.int16)
        parts: list[np.ndarray] = []
        for piece in split_text(phoneme_blocks(text), MAX_PIECE):
            for chunk in voice.synthesize(piece, settings):
                span = audible_span(chunk.audio_int16_array)
                if span:
                    sentence = chunk.audio_int16_array[span[0] : span[1] + 1]
                    parts += [pause, sentence] if parts else [sentence]
        pcm = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
        return pcm.astype("<i2").tobytes(), rate

    load(first_model)
    serve(conn, handle)


def phoneme_blocks(text: str) -> str:
    """``text`` with each ``[[ phonemes ]]`` block spaced from its neighbours and the marks that follow it
    moved inside: Piper drops a mark right after a block and runs the next word into it."""
    spaced = _BLOCK.sub(lambda m: f" [[ {m.group(1)}{m.group(2)} ]] ", text)
    return re.sub(r" {2,}", " ", spaced).strip()


_BLOCK = re.compile(r"\s*\[\[\s*(.*?)\s*\]\]([^\w\s\[]*)")


class PiperEngine:
    """Piper voices, spoken in up to ``jobs`` worker processes of one onnxruntime thread each."""

    name = "piper"

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S):
        from . import piper_installed

        if not piper_installed():
            raise EngineError("the piper engine is not installed: pip install 'routinecast[piper]'")
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self._pools: dict[str, WorkerPool] = {}
        self._found: list[piper_voices.PiperModel] | None = None

    def __enter__(self) -> PiperEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self, voice: str | None = None) -> str:
        """piper-tts's and onnxruntime's versions and a hash of the voice's model and configuration."""
        versions = f"piper-tts-{metadata.version('piper-tts')}/onnxruntime-{metadata.version('onnxruntime')}"
        model = self._model(voice, strict=False)
        if model is None:
            return versions
        stat = model.stat()
        return f"{versions}/{piper_voices.model_digest(model, stat.st_size, stat.st_mtime_ns)}"

    def _model(self, voice: str | None, strict: bool = True) -> Path | None:
        """The model file for a voice as a routine names it (``None`` if unknown and not ``strict``)."""
        if voice and voice.endswith(".onnx"):
            return piper_voices.model_file(voice)
        if voice:
            found = match_voice(self.voices(), voice)
            if found is None and not strict:
                return None
            voice = found.id if found else voice
        return piper_voices.find(voice, DEFAULT_VOICE, self._installed()).model

    def _installed(self) -> list[piper_voices.PiperModel]:
        # Looked for once per engine: identity, voice resolution and synthesis all need the list.
        if self._found is None:
            self._found = piper_voices.installed()
        return self._found

    def voices(self) -> list[VoiceInfo]:
        """The installed voices: from packages and the voices folders."""
        return [m.info for m in self._installed()]

    def synthesize(self, texts: list[str], voice: VoiceSpec) -> Iterator[tuple[str, np.ndarray, int]]:
        """Speak ``texts`` across the workers; yield each result as it arrives."""
        model = str(self._model(voice.id))
        if model not in self._pools:
            self.close()  # one voice's workers at a time: each holds its model in memory
            advice = "check that the piper extra is installed: pip install 'routinecast[piper]'"
            self._pools[model] = WorkerPool(_worker, (model,), self.jobs, self.timeout, advice)
        request = lambda text: ("speak", text, model, voice.speed, voice.volume)  # noqa: E731
        for text, (pcm, rate) in self._pools[model].map(texts, request):
            yield text, np.frombuffer(pcm, dtype="<i2"), rate

    def close(self) -> None:
        """Stop every worker and remove their folders."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
