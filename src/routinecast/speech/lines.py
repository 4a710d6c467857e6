"""Speaking a script's lines: resolve the voice, then a cached clip for every distinct line.

Each distinct line is synthesized once per voice, and not at all when the
cache already holds it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from ..cache import ClipStore, clip_key, content_digest
from ..errors import Problem, RoutineError
from ..model import Routine
from .clips import PROCESSING_VERSION, ClipRef, prepare_clip
from .engine import Engine, VoiceSpec


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
        Problem(
            routine.source,
            where.line if where else 1,
            where.col if where else 1,
            f"voice '{wanted}' is not offered by the {engine.name} engine; {tip}run 'routinecast voices' to list them",
        )
    )


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
        text: clip_key(
            engine=identity,
            voice=voice.name,
            rate=voice.rate,
            volume=voice.volume,
            text=text,
            sample_rate=sample_rate,
            processing=PROCESSING_VERSION,
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
    spoken = engine.synthesize(missing, resolve_voice(engine, routine)) if missing else ()
    for text, samples, rate in spoken:
        # Another build may have stored this line first; everyone then uses that clip.
        clip = store.save(keys[text], prepare_clip(samples, rate, sample_rate))
        refs[text] = ClipRef(keys[text], len(clip), content_digest(clip))
        if on_done:
            on_done(len(refs), total)
    return {text: refs[text] for text in keys}  # in script order, however the engine finished
