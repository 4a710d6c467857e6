"""Speech: the engine interface, and turning a script's lines into cached, ready-to-mix clips.

A clip is stored trimmed (its first and last samples are where the voice is
audible), resampled to the output rate, with short fades at its edges, as
16-bit mono samples. Each distinct line is synthesized once per voice, and not
at all when the cache already holds it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol

import numpy as np
import soxr

from .cache import ClipStore, clip_key
from .errors import Problem, RoutineError
from .model import Routine

# Anything quieter than this (about -54 dBFS) counts as silence when trimming.
TRIM_THRESHOLD = 0.002
# Kept before the first audible sample, so consonant onsets are not clipped.
TRIM_MARGIN_MS = 2
FADE_MS = 3
# Bump when clip processing changes, so old cache entries are not reused.
PROCESSING_VERSION = 1


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers."""

    id: str
    """The engine's identifier, e.g. ``gmw/en-us``."""
    name: str
    """Display name, e.g. ``English (America)``."""
    languages: tuple[str, ...]
    """Language codes, e.g. ``("en-us",)``."""


@dataclass(frozen=True)
class VoiceSpec:
    """A resolved voice and its settings, as handed to an engine."""

    id: str | None
    """Engine voice id; ``None`` for the engine default."""
    rate: int | None
    """Words per minute; ``None`` for the engine default."""
    volume: float
    """0.0 to 1.0."""


class Engine(Protocol):
    """What a speech engine provides. Engines are context managers."""

    name: str
    """Short name, e.g. ``pyttsx3``."""

    def identity(self) -> str:
        """Engine, library and version: part of every cache key."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices on offer."""
        ...

    def synthesize(self, texts: list[str], voice: VoiceSpec) -> Iterator[tuple[str, np.ndarray, int]]:
        """Speak each text; yield ``(text, int16 samples, sample rate)`` as each is done, in any order."""
        ...

    def close(self) -> None:
        """Release workers and libraries."""
        ...


@dataclass(frozen=True)
class ClipRef:
    """Where a line's audio is and how long it lasts."""

    key: str
    """Key of the clip in the store."""
    samples: int
    """Length at the output sample rate."""


def resolve_voice(engine: Engine, routine: Routine) -> VoiceSpec:
    """The routine's voice as the engine knows it; an unknown name is a :class:`RoutineError`."""
    wanted = routine.voice.name
    if wanted is None:
        return VoiceSpec(None, routine.voice.rate, routine.voice.volume)
    voices = engine.voices()
    low = wanted.lower()
    for test in (
        lambda v: v.id.lower() == low,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == low,
        lambda v: low in (lang.lower() for lang in v.languages),
        lambda v: v.name.lower() == low,
    ):
        match = next((v for v in voices if test(v)), None)
        if match:
            return VoiceSpec(match.id, routine.voice.rate, routine.voice.volume)
    names = sorted({v.id.rsplit("/", 1)[-1] for v in voices} | {v.name for v in voices})
    hint = difflib.get_close_matches(wanted, names, n=1)
    tip = f"did you mean '{hint[0]}'? " if hint else ""
    where = routine.voice.where
    raise RoutineError(
        Problem(routine.source, where.line if where else 1, where.col if where else 1,
                f"voice '{wanted}' is not offered by the {engine.name} engine; {tip}run 'routinecast voices' to list them")
    )


def prepare_clip(samples: np.ndarray, rate: int, out_rate: int) -> np.ndarray:
    """Trim silence, resample to ``out_rate`` and fade the edges; returns int16 samples.

    An all-silent input gives an empty clip.
    """
    audio = samples.astype(np.float32) / 32768.0
    loud = np.flatnonzero(np.abs(audio) > TRIM_THRESHOLD)
    if loud.size == 0:
        return np.zeros(0, dtype=np.int16)
    margin = rate * TRIM_MARGIN_MS // 1000
    audio = audio[max(loud[0] - margin, 0): loud[-1] + 1]
    if rate != out_rate:
        audio = soxr.resample(audio, rate, out_rate, quality="HQ")
    return to_pcm16(fade_edges(audio, out_rate))


def fade_edges(audio: np.ndarray, rate: int) -> np.ndarray:
    """``audio`` with a FADE_MS linear fade in and out, so it never clicks at a join (in place)."""
    fade = min(rate * FADE_MS // 1000, len(audio) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
        audio[:fade] *= ramp
        audio[-fade:] *= ramp[::-1]
    return audio


def to_pcm16(audio: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as int16, rounded and clipped."""
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)


def speak_lines(
    engine: Engine,
    routine: Routine,
    lines: Iterable[str],
    store: ClipStore,
    on_done: Callable[[int, int], None] | None = None,
) -> dict[str, ClipRef]:
    """A clip for every distinct line, from the store or freshly synthesized into it.

    Keys use the voice as the routine names it, so a fully cached build never
    starts the engine; the name is resolved (and checked) only when something
    must be spoken. ``on_done(done, total)`` is called as lines finish.
    """
    identity = engine.identity()
    voice = routine.voice
    sample_rate = routine.output.sample_rate
    keys = {
        text: clip_key(engine=identity, voice=voice.name, rate=voice.rate, volume=voice.volume,
                       text=text, sample_rate=sample_rate, processing=PROCESSING_VERSION)
        for text in dict.fromkeys(lines)
    }
    refs: dict[str, ClipRef] = {}
    missing = []
    for text, key in keys.items():
        clip = store.load(key)
        if clip is not None:
            refs[text] = ClipRef(key, len(clip))
        else:
            missing.append(text)
    total = len(keys)
    if on_done:
        on_done(len(refs), total)
    spoken = engine.synthesize(missing, resolve_voice(engine, routine)) if missing else ()
    for text, samples, rate in spoken:
        clip = prepare_clip(samples, rate, sample_rate)
        store.save(keys[text], clip)
        refs[text] = ClipRef(keys[text], len(clip))
        if on_done:
            on_done(len(refs), total)
    return {text: refs[text] for text in keys}  # in script order, however the engine finished
