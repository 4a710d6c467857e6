"""Speaking a script's lines: resolve the voice and its pace, then a cached clip for every distinct line.

Each distinct line is synthesized once per voice, and not at all when the
cache already holds it.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable

from ..cache import ClipStore, clip_key, content_digest
from ..errors import Problem, RoutineError
from ..model import Voice, Where
from .clips import PROCESSING_VERSION, ClipRef, prepare_clip
from .engine import Engine, VoiceSpec, match_voice
from .pace import PACE_VERSION, Unreachable, speed_for


def asked(voice: Voice) -> str | None:
    """The voice as a routine names it: its model file, its name, or ``None`` for the engine's default."""
    return str(voice.model) if voice.model else voice.name


def resolve_voice(engine: Engine, voice: Voice, source: str) -> VoiceSpec:
    """The routine's voice as the engine knows it, at speed 1.0; an unknown name is a :class:`RoutineError`."""
    if voice.name is None:
        return VoiceSpec(asked(voice), 1.0, voice.volume)
    voices = engine.voices()
    match = match_voice(voices, voice.name)
    if match:
        return VoiceSpec(match.id, 1.0, voice.volume)
    names = sorted({v.id.rsplit("/", 1)[-1] for v in voices} | {v.name for v in voices})
    hint = difflib.get_close_matches(voice.name, names, n=1)
    tip = f"did you mean '{hint[0]}'? " if hint else ""
    where = voice.where
    raise RoutineError(
        Problem(
            (where.file if where else None) or source,
            where.line if where else 1,
            where.col if where else 1,
            f"voice '{voice.name}' is not offered by the {engine.name} engine; {tip}"
            f"run 'routinecast voices --engine {engine.name}' to list them",
        )
    )


def speak_lines(
    engine: Engine,
    voice: Voice,
    source: str,
    lines: Iterable[str],
    store: ClipStore,
    sample_rate: int,
    on_done: Callable[[int, int], None] | None = None,
) -> dict[str, ClipRef]:
    """A clip at ``sample_rate`` for every distinct line, from the store or freshly synthesized into it.

    Keys use the voice as the routine names it, so a fully cached build never
    starts the engine; the name is resolved (and checked) and the pace measured
    only when something must be spoken. ``source`` names the routine in messages.
    ``on_done(done, total)`` is called as lines finish.
    """
    identity = engine.identity(asked(voice))
    keys = {
        text: clip_key(
            engine=identity,
            voice=voice.name,
            rate=voice.rate,
            volume=voice.volume,
            text=text,
            sample_rate=sample_rate,
            processing=PROCESSING_VERSION,
            pace=PACE_VERSION,
        )
        for text in dict.fromkeys(lines)
    }
    refs: dict[str, ClipRef] = {}
    missing = []
    for text, key in keys.items():
        clip = store.load(key)
        if clip is not None:
            refs[text] = ClipRef(key, len(clip), content_digest(clip))
        else:
            missing.append(text)
    total = len(keys)
    if on_done:
        on_done(len(refs), total)
    if missing:
        spec = resolve_voice(engine, voice, source)
        try:
            spec = dataclasses.replace(spec, speed=speed_for(engine, identity, spec, voice.rate, store))
        except Unreachable as exc:
            at = voice.rate_at or Where("voice.rate", 1, 1)
            raise RoutineError(Problem(at.file or source, at.line, at.col, str(exc))) from None
        for text, samples, rate in engine.synthesize(missing, spec):
            # Another build may have stored this line first; everyone then uses that clip.
            clip = store.save(keys[text], prepare_clip(samples, rate, sample_rate))
            refs[text] = ClipRef(keys[text], len(clip), content_digest(clip))
            if on_done:
                on_done(len(refs), total)
    return {text: refs[text] for text in keys}  # in script order, however the engine finished
