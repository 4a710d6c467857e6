"""A routine's options: who speaks and how, what the output is like, the words of cues, the bed and tags.

Durations are integer milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT_S = 60.0
"""Seconds one line may take to synthesize before an engine counts as hung (``--timeout``)."""
PACE_RANGE = (60, 300)
"""Words per minute a routine may ask for (``voice.rate``): from very slow to brisk."""


@dataclass(frozen=True)
class Where:
    """Where a step stands in its routine file."""

    path: str
    """Step path such as ``steps[3].steps[0]``; it appears in the timeline."""
    line: int
    """1-based line of the step."""
    col: int
    """1-based column of the step."""
    file: str | None = None
    """The file it is written in, when not the routine's own (an included file, or ``--set``)."""


@dataclass(frozen=True)
class Voice:
    """How the narrator speaks."""

    name: str | None = None
    """Engine voice id, voice name or language code; ``None`` means the engine default."""
    rate: int | None = None
    """Pace in words per minute, as measured on speech (``speech.pace``); ``None``: the voice's natural pace."""
    volume: float = 1.0
    """Engine volume, 0.0 to 1.0."""
    gap_ms: int = 600
    """Silence placed between two spoken lines that would otherwise touch."""
    engine: str | None = None
    """Speech engine by name; ``None`` for the command's ``--engine``, else the default engine."""
    model: Path | None = None
    """A Piper voice model file (``.onnx``), resolved against the routine's folder."""
    where: Where | None = field(default=None, compare=False)
    """Where ``name`` (or ``model``) is written, so a voice the engine lacks can be pointed at."""
    engine_at: Where | None = field(default=None, compare=False)
    """Where ``engine`` is written, so an engine that is not installed can be pointed at."""
    rate_at: Where | None = field(default=None, compare=False)
    """Where ``rate`` is written, so a pace the voice cannot reach can be pointed at."""


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


_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_NUMBER_WORDS = tuple(
    _UNITS
    + _TEENS
    + [
        f"{tens}{'-' + unit if unit else ''}"
        for tens in ("twenty", "thirty", "forty", "fifty")
        for unit in ["", *_UNITS]
    ]
    + ["sixty"]
)


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
    second: str = "{n} second"
    """``{hold_time}`` and ``{session_time}`` for one second; ``{n}`` becomes a number word."""
    seconds: str = "{n} seconds"
    """The same, for several seconds."""
    minute: str = "{n} minute"
    """The same, for one minute."""
    minutes: str = "{n} minutes"
    """The same, for several minutes."""
    round_name: str = "round {n}"
    """``{this_round}`` in every round but the last; ``{n}`` becomes the round's number word."""
    last_round: str = "the last round"
    """``{this_round}`` in the last round."""
    numbers: tuple[str, ...] = _NUMBER_WORDS
    """Number words from one upwards, for countdowns, breath counts and ``{n}``."""
    voice: Voice | None = None
    """Another voice for these words, so cues stand apart from the narration; ``None``: the narrator's."""

    def number(self, n: int) -> str:
        """The word for ``n``, or its digits when the list is too short."""
        return self.numbers[n - 1] if 0 < n <= len(self.numbers) else str(n)

    def length(self, ms: int) -> str:
        """A length in words: whole minutes and seconds ("1 minute 30 seconds"), rounded to the second."""
        minutes, seconds = divmod((ms + 500) // 1000, 60)
        parts = []
        if minutes:
            parts.append((self.minute if minutes == 1 else self.minutes).format(n=self.number(minutes)))
        if seconds or not minutes:
            parts.append((self.second if seconds == 1 else self.seconds).format(n=self.number(seconds)))
        return " ".join(parts)
