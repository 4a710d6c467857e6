"""Every voice of a routine spoken and levelled: the narrator's, and the cue voice if the routine has one.

Each voice is measured for loudness on ``loudness.CALIBRATION`` and levelled on
its own, so a cue voice from another engine sits at the same loudness as the
narrator. Each engine is opened once, however many voices use it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from ..cache import ClipStore
from ..model import Routine, Voice
from ..pool import Pool, result
from ..script.items import CUE_MARK, Item, Spoken, sounding
from ..speech.clips import ClipRef
from ..speech.engine import Engine
from ..speech.lines import speak_lines
from . import loudness
from .bank import AudioBank
from .levelling import Codec, voice_gain

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``, as ``build`` reports it."""


def narrate(
    routine: Routine,
    items: list[Item],
    store: ClipStore,
    pool: Pool,
    opener: Callable[[str], Engine],
    codec: Codec | None,
    level: bool = True,
    progress: Progress | None = None,
) -> AudioBank:
    """A bank holding every line of ``items`` in its voice, levelled unless ``level`` is False.

    ``opener(name)`` opens an engine by name (each voice's engine is settled already); ``codec`` is what
    the output encoder does to audio (``None`` when lossless), for the loudness measurement.
    """
    spoken = [item for item in sounding(items) if isinstance(item, Spoken)]
    voices = [(routine.voice, [item.spoken for item in spoken if not item.cue], "")]
    cue_lines = [item.spoken for item in spoken if item.cue]
    if cue_lines:
        voices.append((routine.cues.voice, cue_lines, CUE_MARK))
    clips: dict[str, ClipRef] = {}
    gains: dict[str, Future[float]] = {}
    for name in dict.fromkeys(voice.engine for voice, _, _ in voices):
        if progress:  # opening an engine, then measuring its voice's pace and loudness, takes seconds
            progress("voice", 0, 1)
        with opener(name) as engine:
            for voice, lines, mark in voices:
                if voice.engine != name:
                    continue
                if level:  # each voice is measured while the routine's own lines are spoken
                    calibration = _speak(engine, voice, routine, list(loudness.CALIBRATION), store, None)
                    sample = [calibration[t] for t in loudness.CALIBRATION]
                    gains[mark] = voice_gain(store, routine.output, sample, pool, codec)
                if progress:
                    progress("voice", 1, 1)
                said = _speak(engine, voice, routine, lines, store, progress)
                clips.update((mark + text, ref) for text, ref in said.items())
    bank = AudioBank(store, clips)
    for done, (_, lines, mark) in enumerate(voices):
        if mark in gains:
            if progress:
                progress("levelling", done, len(voices))
            keys = [mark + text for text in dict.fromkeys(lines)]
            bank.level_voice(routine.output.sample_rate, result(gains[mark]), pool, keys)
    return bank


def _speak(
    engine: Engine, voice: Voice, routine: Routine, lines: list[str], store: ClipStore, progress: Progress | None
) -> dict[str, ClipRef]:
    report = (lambda done, total: progress("speech", done, total)) if progress else None
    return speak_lines(engine, voice, routine.source, lines, store, routine.output.sample_rate, report)
