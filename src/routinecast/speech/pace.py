"""Pace in real words per minute, on any engine.

Engines have their own idea of speed (espeak-ng's ``rate`` 140 speaks some 176
words a minute; Piper has a length scale), so routinecast measures instead: each
voice speaks the calibration passage at its natural pace (speed 1.0), the speed
that should give the wanted pace is derived, spoken, measured and corrected
until it is within ``TOLERANCE``. Words per minute are counted on speech trimmed
of its leading and trailing silence, line by line. The speed found is remembered
in the cache, keyed by the engine's identity, the voice and the pace, so it is
measured once.
"""

from __future__ import annotations

import dataclasses
import re

from ..cache import ClipStore, clip_key
from ..errors import EngineError
from .clips import audible_span
from .engine import Engine, VoiceSpec

PASSAGE = (
    "Settle onto your back and let the floor take your weight. Bend your knees and rest your feet flat.",
    "Let your arms lie loose at your sides, palms turned up. Breathe in slowly through your nose.",
    "Let the breath go without any effort at all. With each breath out, let your lower back soften.",
    "There is nothing to do here but rest. When you are ready, roll to one side and sit up slowly.",
)
"""The calibration passage: plain instructions, as routines speak them, in lines of two sentences."""
TOLERANCE = 0.02
"""How far the measured pace may be from the wanted one, as a fraction, before the speed is corrected again."""
MAX_TRIES = 4
"""Corrections tried before the engine is said not to reach a pace."""
PACE_VERSION = 1
"""Bump when the passage or the measurement changes, so remembered speeds are measured again."""


class Unreachable(Exception):
    """The voice cannot speak at the pace asked for; the message says what it reached."""


def words(text: str) -> int:
    """Words in ``text``, as a reader counts them ("don't" is one)."""
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def measure(engine: Engine, voice: VoiceSpec, lines: tuple[str, ...] = PASSAGE) -> float:
    """Words per minute of ``voice`` speaking ``lines``, each trimmed of silence at its ends."""
    seconds = 0.0
    for _, audio, rate in engine.synthesize(list(lines), voice):
        span = audible_span(audio)
        if span:
            seconds += (span[1] - span[0] + 1) / rate
    if not seconds:
        raise EngineError(f"speech engine '{engine.name}' made no sound for the calibration passage")
    return sum(words(line) for line in lines) * 60 / seconds


def natural_pace(engine: Engine, identity: str, voice: VoiceSpec, store: ClipStore) -> float:
    """Words per minute of ``voice`` at speed 1.0: measured once per voice, whatever paces are asked of it."""
    key = clip_key(kind="natural pace", engine=identity, voice=voice.id, passage=PASSAGE, version=PACE_VERSION)
    known = store.recall(key)
    if known is None:
        known = measure(engine, dataclasses.replace(voice, speed=1.0))
        store.remember(key, known)
    return known


def speed_for(engine: Engine, identity: str, voice: VoiceSpec, wpm: int | None, store: ClipStore) -> float:
    """The speed at which ``voice`` speaks ``wpm`` words a minute (1.0 when ``wpm`` is ``None``).

    Raises :class:`Unreachable` when the voice cannot reach that pace.
    """
    if wpm is None:
        return 1.0
    key = clip_key(kind="pace", engine=identity, voice=voice.id, wpm=wpm, passage=PASSAGE, version=PACE_VERSION)
    known = store.recall(key)
    if known is not None:
        return known
    speed, got, tries = 1.0, natural_pace(engine, identity, voice, store), 0
    while abs(got - wpm) > TOLERANCE * wpm:
        if tries == MAX_TRIES:
            which = f"voice '{voice.id}'" if voice.id else "default voice"
            raise Unreachable(
                f"the {engine.name} engine's {which} cannot speak at {wpm} words a minute "
                f"(it reached {got:.0f}); choose a rate nearer {got:.0f}"
            )
        speed *= wpm / got
        got = measure(engine, dataclasses.replace(voice, speed=speed))
        tries += 1
    store.remember(key, speed)
    return speed
