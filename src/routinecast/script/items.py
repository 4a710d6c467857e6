"""The script: what happens in a session, in order, before it is timed.

``expansion.expand`` makes these items from a routine; ``timeline.layout``
places them in time once the engine has spoken the lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Sound, Where

CUE_MARK = "\0cue:"
"""Starts the audio key of a line the cue voice speaks; no text that passed cleaning holds a NUL."""


@dataclass(frozen=True)
class Spoken:
    """A line for the engine."""

    text: str
    """What the listener hears, as written (placeholders filled, before the lexicon)."""
    spoken: str
    """What the engine is given (after the lexicon); the key of the speech clip."""
    where: Where
    """The step it comes from."""
    anchored: bool = False
    """True when it must start exactly where the previous item ends (a hold's ``then``)."""
    cue: bool = False
    """True for cue words (``cues``) when the routine gives them a voice of their own."""

    @property
    def key(self) -> str:
        """Identifies the audio: the engine's text, marked when the cue voice speaks it."""
        return CUE_MARK + self.spoken if self.cue else self.spoken


@dataclass(frozen=True)
class Tone:
    """A synthesized sound: a bell or a breathing tone."""

    name: str
    """``bell`` (with a preset) or ``rise`` / ``fall`` (breath tones)."""
    ms: int
    """Length; for bells it is the preset's ring time."""
    gain_db: float
    """Level change on top of the preset level."""
    where: Where
    """The step it comes from."""

    @property
    def key(self) -> str:
        """Identifies the audio: equal keys sound the same."""
        return f"{self.name}:{self.ms}:{self.gain_db:+.2f}"


@dataclass(frozen=True)
class Recording:
    """A user audio file."""

    step: Sound
    """The ``sound`` step, with its resolved path and gain."""

    @property
    def where(self) -> Where:
        """The step it comes from."""
        return self.step.where

    @property
    def key(self) -> str:
        """Identifies the audio: equal keys sound the same."""
        return f"{self.step.path}:{self.step.gain_db:+.2f}"


@dataclass(frozen=True)
class Silent:
    """Silence of a declared length."""

    ms: int
    """Length in milliseconds."""
    where: Where
    """The step it comes from."""


@dataclass(frozen=True)
class After:
    """A cue's place in a window: ``ms`` after the cue before it ends (or after the window opens)."""

    ms: int
    """The gap in milliseconds."""


Cued = Spoken | Tone | Recording
"""What a window's cue sounds: words, a tone or bell, or a sound file."""


@dataclass(frozen=True)
class Window:
    """A stretch of exact length (a hold or a breath phase) with cues at offsets."""

    kind: str
    """``hold``, ``in``, ``hold_in``, ``out`` or ``rest``."""
    ms: int
    """Exact length in milliseconds."""
    cues: tuple[tuple[int | After, Cued], ...]
    """(place, what sounds) pairs in the order they sound: a place is an offset in ms from the start of the
    window, or :class:`After` the cue before."""
    where: Where
    """The step it comes from."""
    label: str
    """How messages name this window, e.g. ``30.0s hold`` or ``in-breath 2 of 5``."""
    attached: bool = False
    """True when it opens right as its own spoken line ends (a hold with ``say``)."""

    @property
    def opens_with_sound(self) -> bool:
        """Whether a cue sounds at the very start of the window."""
        return bool(self.cues) and self.cues[0][0] in (0, After(0))


@dataclass(frozen=True)
class Chapter:
    """A chapter starts here."""

    title: str
    """Chapter title."""
    where: Where
    """The section step."""


Item = Spoken | Tone | Recording | Silent | Window | Chapter


def sounding(items: list[Item]) -> Iterator[Spoken | Tone | Recording]:
    """Everything in the script that makes a sound, cues inside windows included, in order."""
    for item in items:
        if isinstance(item, Window):
            yield from (cue for _, cue in item.cues)
        elif isinstance(item, (Spoken, Tone, Recording)):
            yield item
