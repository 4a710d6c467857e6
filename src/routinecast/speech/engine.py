"""The speech engine interface: what any engine, built in or plugged in, provides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..options import DEFAULT_TIMEOUT_S

__all__ = ["DEFAULT_TIMEOUT_S", "Engine", "VoiceInfo", "VoiceSpec", "match_voice"]


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers."""

    id: str
    """The engine's identifier, e.g. ``gmw/en-us``."""
    name: str
    """Display name, e.g. ``English (America)``."""
    languages: tuple[str, ...]
    """Language codes, e.g. ``("en-us",)``."""
    source: str
    """Where the voice comes from, e.g. ``espeak-ng 1.52 (espeakng-loader wheel)``."""
    license: str
    """The terms its output may be used under, as far as the engine knows them."""


@dataclass(frozen=True)
class VoiceSpec:
    """A resolved voice and its settings, as handed to an engine."""

    id: str | None
    """Engine voice id (or, for engines that take one, a model file's path); ``None`` for the engine default."""
    speed: float
    """Pace as a multiple of the voice's natural pace (1.0); ``speech.pace`` derives it from words per minute."""
    volume: float
    """0.0 to 1.0."""


class Engine(Protocol):
    """What a speech engine provides. Engines are context managers."""

    name: str
    """Short name, e.g. ``pyttsx3``."""

    def identity(self, voice: str | None) -> str:
        """Engine, library, version and the data behind ``voice`` (a model file's hash, say): part of every
        cache key. ``voice`` is the name or model path as the routine gives it, unresolved; answering must
        not need a worker, so a fully cached build never starts one."""
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


def match_voice(voices: list[VoiceInfo], wanted: str) -> VoiceInfo | None:
    """The voice ``wanted`` names, ignoring case: by id, by the id's last part, by language code, or by name."""
    low = wanted.lower()
    for test in (
        lambda v: v.id.lower() == low,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == low,
        lambda v: low in (lang.lower() for lang in v.languages),
        lambda v: v.name.lower() == low,
    ):
        match = next((v for v in voices if test(v)), None)
        if match:
            return match
    return None
