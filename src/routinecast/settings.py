"""How to build: the settings a command line gives, and what they change in a routine."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import formats
from .errors import Problem, RoutineError
from .model import Routine, Where
from .options import DEFAULT_TIMEOUT_S
from .speech.engines import default_engine, registered


@dataclass(frozen=True)
class Settings:
    """How to build; every field has a sensible default."""

    engine: str | None = None
    """Speech engine for routines that name none; ``None`` for ``speech.engines.default_engine()``."""
    cache_dir: Path | None = None
    """Speech cache folder; ``None`` for the default (``$ROUTINECAST_CACHE`` or the user cache)."""
    use_cache: bool = True
    """False to synthesize everything afresh (into a throwaway folder)."""
    jobs: int | None = None
    """Worker processes for synthesis and for encoding; ``None`` for one per core."""
    timeout: float = DEFAULT_TIMEOUT_S
    """Seconds one line may take to synthesize before the engine counts as hung."""
    sample_rate: int | None = None
    """Overrides ``output.sample_rate``."""
    bitrate: int | None = None
    """Overrides ``output.bitrate``."""
    format: str | None = None
    """``mp3`` or ``wav``; overrides the routine and the output's extension."""
    loudness: float | None = None
    """Overrides ``output.loudness`` (LUFS)."""
    background: bool = True
    """False to leave out the routine's background bed."""
    parameters: tuple[tuple[str, str], ...] = ()
    """``(name, value)`` pairs from ``--set``: values (read as YAML) for the routine's ``parameters``."""


def with_overrides(routine: Routine, settings: Settings) -> Routine:
    """``routine`` with the engines settled and the command line's options (``settings``) applied."""
    # Engines are settled first: the lexicon a line is respelled with depends on its voice's engine.
    if settings.engine and settings.engine not in registered():
        raise RoutineError(f"--engine {settings.engine}: no such engine; choose one of: {', '.join(registered())}")
    narrator = routine.voice.engine or settings.engine or default_engine()
    for voice in (routine.voice, routine.cues.voice):
        if voice and voice.engine and voice.engine not in registered():
            at = voice.engine_at or Where("voice", 1, 1)
            known = ", ".join(registered())
            problem = f"engine '{voice.engine}' is not installed; choose one of: {known}"
            raise RoutineError(Problem(at.file or routine.source, at.line, at.col, problem))
    cues = routine.cues
    if cues.voice:  # the cue voice takes the narrator's engine and pace unless it names its own
        own = cues.voice.rate is not None
        pace = (cues.voice.rate, cues.voice.rate_at) if own else (routine.voice.rate, routine.voice.rate_at)
        voice = dataclasses.replace(cues.voice, engine=cues.voice.engine or narrator, rate=pace[0], rate_at=pace[1])
        cues = dataclasses.replace(cues, voice=voice)
    routine = dataclasses.replace(routine, voice=dataclasses.replace(routine.voice, engine=narrator), cues=cues)
    if not settings.background:
        routine = dataclasses.replace(routine, background=None)
    changes: dict[str, object] = {}
    if settings.sample_rate:
        _check("--sample-rate", formats.sample_rate_problem(settings.sample_rate))
        changes["sample_rate"] = settings.sample_rate
    if settings.bitrate:
        rate = changes.get("sample_rate", routine.output.sample_rate)
        _check("--bitrate", formats.bitrate_problem(settings.bitrate, rate))
        changes["bitrate"] = settings.bitrate
    if settings.format:
        changes["format"] = settings.format
    if settings.loudness is not None:
        _check("--loudness", formats.loudness_problem(settings.loudness))
        changes["loudness"] = settings.loudness
    if not changes:
        return routine
    return dataclasses.replace(routine, output=dataclasses.replace(routine.output, **changes))


def _check(option: str, problem: str | None) -> None:
    if problem:
        raise RoutineError(f"{option} {problem}")
