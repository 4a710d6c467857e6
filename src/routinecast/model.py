"""The typed routine: what a valid routine file means, as frozen dataclasses.

Durations are integer milliseconds. Every step knows where it came from
(``Where``), so later stages can still point a user at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .options import Background, CueWords, Output, Tags, Voice, Where


@dataclass(frozen=True)
class Section:
    """Starts a chapter."""

    title: str
    """Chapter title."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Say:
    """A line the narrator speaks."""

    text: str
    """The text, with ``{side}``, ``{round}``, ``{rounds}`` placeholders still in it."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Pause:
    """Silence."""

    ms: int
    """Length in milliseconds."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Repeat:
    """Nested steps done several times."""

    times: int
    """How many rounds."""
    steps: tuple[Step, ...]
    """The steps of one round."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Sides:
    """Nested steps done once per side."""

    sides: tuple[str, ...]
    """Side names, in order; each fills ``{side}``."""
    switch: str | None
    """Spoken between two sides, if given."""
    steps: tuple[Step, ...]
    """The steps for one side."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Cue:
    """Something heard inside a hold, at an exact offset or right after the cue before it."""

    kind: str
    """``halfway``, ``remaining``, ``countdown``, ``at`` or ``after``."""
    value: int
    """Seconds for ``remaining`` and ``countdown``; milliseconds for ``at`` (from the start of the hold) and
    ``after`` (from the end of the cue before it, or the start of the hold); 0 for ``halfway``."""
    text: str | None
    """What is said: an ``at`` or ``after`` line, or ``halfway``'s own words; ``None`` for words from
    ``CueWords``, or when the cue is a sound."""
    where: Where = field(compare=False)
    """Where the cue is."""
    sound: Bell | Sound | None = None
    """A bell or a sound file heard instead of words (``at`` and ``after`` only)."""


@dataclass(frozen=True)
class Hold:
    """A timed hold: optional opening line, cues inside, optional closing line."""

    ms: int
    """Length of the hold window in milliseconds."""
    say: str | None
    """Spoken before the window opens."""
    cues: tuple[Cue, ...]
    """Spoken inside the window at exact offsets."""
    then: str | None
    """Spoken exactly when the window closes."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Breathe:
    """A paced breathing pattern."""

    in_ms: int
    """In-breath length."""
    hold_ms: int
    """Hold after the in-breath (0 for none)."""
    out_ms: int
    """Out-breath length."""
    rest_ms: int
    """Pause after the out-breath (0 for none)."""
    cycles: int
    """How many breaths."""
    cue: str
    """``words``, ``count`` or ``tone``."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class BellPreset:
    """How a bell preset sounds, and how long it rings."""

    ring_ms: int
    """Its length in the timeline."""
    pitch_hz: float
    """Fundamental frequency."""
    level_db: float
    """Peak level in dBFS, at the reference programme loudness."""
    decay_s: float
    """Time constant of the fundamental's exponential decay."""


BELLS = {
    "start": BellPreset(4000, 528.0, -14.0, 1.1),
    "end": BellPreset(6000, 396.0, -14.0, 1.6),
    "soft": BellPreset(3000, 660.0, -22.0, 0.8),
}
"""The bell presets a routine may name."""


@dataclass(frozen=True)
class Bell:
    """A synthesized bell."""

    preset: str
    """``start``, ``end`` or ``soft``."""
    gain_db: float
    """Level relative to the preset's own level."""
    where: Where = field(compare=False)
    """Where the step is."""


@dataclass(frozen=True)
class Sound:
    """A user audio file played in the foreground."""

    path: Path
    """Absolute path of the file."""
    gain_db: float
    """Level change applied to the file."""
    where: Where = field(compare=False)
    """Where the step is."""


Step = Section | Say | Pause | Repeat | Sides | Hold | Breathe | Bell | Sound


@dataclass(frozen=True)
class Routine:
    """A validated routine, ready to expand into a timeline."""

    title: str
    """Session title; also the ID3 title."""
    steps: tuple[Step, ...]
    """Top-level steps, in order."""
    source: str
    """The routine file's name as the user gave it, for messages."""
    description: str | None = None
    """Free text; the ID3 comment."""
    author: str | None = None
    """The ID3 artist."""
    voice: Voice = Voice()
    """Narrator settings."""
    lexicon: tuple[tuple[str, str, str], ...] = ()
    """``(word, engine or "" for every engine, respelling)``: built-in entries overridden by the routine's own."""
    output: Output = Output()
    """Output settings."""
    cues: CueWords = CueWords()
    """Words used by holds and breathing."""
    background: Background | None = None
    """Optional background bed."""
    tags: Tags = Tags()
    """Extra ID3 tags."""
    cover: Path | None = None
    """Front cover image (PNG or JPEG) for the ID3 APIC frame."""
