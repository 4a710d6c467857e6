"""The typed routine: what a valid routine file means, as frozen dataclasses.

Durations are integer milliseconds. Every step knows where it came from
(``Where``), so later stages can still point a user at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Where:
    """Where a step stands in its routine file."""

    path: str
    """Step path such as ``steps[3].steps[0]``; it appears in the timeline."""
    line: int
    """1-based line of the step."""
    col: int
    """1-based column of the step."""


@dataclass(frozen=True)
class Voice:
    """How the narrator speaks."""

    name: str | None = None
    """Engine voice id, voice name or language code; ``None`` means the engine default."""
    rate: int | None = None
    """Speaking rate in words per minute; ``None`` means the engine default."""
    volume: float = 1.0
    """Engine volume, 0.0 to 1.0."""
    gap_ms: int = 600
    """Silence placed between two spoken lines that would otherwise touch."""
    where: Where | None = field(default=None, compare=False)
    """Where ``name`` is written, so a voice the engine lacks can be pointed at."""


@dataclass(frozen=True)
class Output:
    """What the built file is like."""

    format: str | None = None
    """``mp3`` or ``wav``; ``None`` means: follow the output file's extension."""
    sample_rate: int = 44100
    """Samples per second of the output."""
    bitrate: int = 64
    """MP3 constant bitrate in kbit/s."""
    head_ms: int = 1000
    """Quiet lead-in before the first sound."""
    tail_ms: int = 3000
    """Quiet lead-out after the last sound."""
    album: str = "routinecast"
    """ID3 album."""
    loudness: float = -16.0
    """Integrated loudness target of the programme, in LUFS (ITU-R BS.1770)."""


@dataclass(frozen=True)
class Background:
    """A quiet bed under the whole session that dips while anything in the foreground sounds."""

    noise: str | None = "brown"
    """``brown``, ``pink`` or ``white`` generated noise; ``None`` when ``file`` is used."""
    file: Path | None = None
    """A user audio file, looped with a crossfade."""
    level_db: float = -30.0
    """Loudness relative to the programme's loudness target."""
    duck_db: float = 10.0
    """How far the bed dips under the foreground."""
    fade_ms: int = 4000
    """Fade in at the start and out at the end."""


@dataclass(frozen=True)
class Tags:
    """Extra ID3 tags."""

    track: str | None = None
    """Track number, e.g. ``3`` or ``3/12``."""
    disc: str | None = None
    """Disc number, e.g. ``1`` or ``1/2``."""
    year: int | None = None
    """Recording year."""
    genre: str = "Speech"
    """Genre."""


@dataclass(frozen=True)
class CueWords:
    """The words routinecast speaks on its own; change them for another language."""

    halfway: str = "Halfway."
    """Spoken at the middle of a hold."""
    remaining: str = "{n} seconds left."
    """Spoken ``n`` seconds before a hold ends; ``{n}`` becomes a number word."""
    remaining_one: str = "{n} second left."
    """The same, for one second."""
    breathe_in: str = "Breathe in"
    """Spoken at the start of each in-breath."""
    hold: str = "Hold"
    """Spoken at the start of a breath hold."""
    breathe_out: str = "Breathe out"
    """Spoken at the start of each out-breath."""
    numbers: tuple[str, ...] = tuple(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        " seventeen eighteen nineteen twenty".split()
    )
    """Number words from one upwards, for countdowns, breath counts and ``{n}``."""

    def number(self, n: int) -> str:
        """The word for ``n``, or its digits when the list is too short."""
        return self.numbers[n - 1] if 0 < n <= len(self.numbers) else str(n)


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
    """Something spoken inside a hold at an exact offset."""

    kind: str
    """``halfway``, ``remaining``, ``countdown`` or ``at``."""
    value: int
    """Seconds for ``remaining`` and ``countdown``; milliseconds for ``at``; 0 for ``halfway``."""
    text: str | None
    """What ``at`` says; ``None`` for the others, whose words come from ``CueWords``."""
    where: Where = field(compare=False)
    """Where the cue is."""


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
    lexicon: tuple[tuple[str, str], ...] = ()
    """Respellings for speech only: built-in entries overridden by the routine's own."""
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
