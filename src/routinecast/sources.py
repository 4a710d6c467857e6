"""The audio behind each event key: speech clips from the store, tones, and user recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr

from .cache import ClipStore
from .errors import Problem, RoutineError
from .model import Routine
from .script import Item, Recording, Tone, Window
from .speech import ClipRef
from .tones import render_tone


class AudioBank:
    """Float32 samples at the output rate for every event source key.

    Speech clips are read from the store when played, so memory does not grow
    with the number of lines; tones and recordings are small and kept.
    """

    def __init__(self, store: ClipStore, clips: dict[str, ClipRef]):
        self.store = store
        self.clips = clips
        self.kept: dict[str, np.ndarray] = {}

    def lengths(self) -> dict[str, int]:
        """Sample counts by key, as ``timeline.layout`` wants them (spoken text for speech)."""
        out = {text: ref.samples for text, ref in self.clips.items()}
        out.update({key: len(samples) for key, samples in self.kept.items()})
        return out

    def add_items(self, routine: Routine, items: list[Item]) -> None:
        """Render every tone and decode every recording the script uses."""
        rate = routine.output.sample_rate
        problems = []
        for item in _sounding(items):
            if item.key in self.kept:
                continue
            if isinstance(item, Tone):
                self.kept[item.key] = render_tone(item.name, item.ms, item.gain_db, rate)
            else:
                try:
                    self.kept[item.key] = decode_recording(item.step.path, item.step.gain_db, rate)
                except soundfile.LibsndfileError as exc:
                    reason = exc.error_string.rstrip(".").lower()
                    where = item.where
                    problems.append(Problem(routine.source, where.line, where.col,
                                            f"cannot read sound file '{item.step.path.name}' ({reason}); use wav, flac, ogg or mp3"))
        if problems:
            raise RoutineError(problems)

    def get(self, key: str) -> np.ndarray:
        """Samples for ``key``: a tone or recording key, or a spoken line."""
        if key in self.kept:
            return self.kept[key]
        clip = self.store.load(self.clips[key].key)
        if clip is None:
            raise RuntimeError(f"the speech clip for {key!r} vanished from the cache during the build")
        return clip.astype(np.float32) / 32768.0


def decode_recording(path: Path, gain_db: float, sample_rate: int) -> np.ndarray:
    """A user's audio file as mono float32 at ``sample_rate``, with ``gain_db`` applied.

    Raises ``soundfile.LibsndfileError`` when the file cannot be decoded.
    """
    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != sample_rate:
        mono = soxr.resample(mono, rate, sample_rate, quality="HQ")
    fade = min(sample_rate * 3 // 1000, len(mono) // 2)
    if fade:
        ramp = np.linspace(0, 1, fade, endpoint=False, dtype=np.float32)
        mono[:fade] *= ramp
        mono[-fade:] *= ramp[::-1]
    return (mono * 10 ** (gain_db / 20)).astype(np.float32)


def _sounding(items: list[Item]):
    for item in items:
        if isinstance(item, (Tone, Recording)):
            yield item
        elif isinstance(item, Window):
            yield from (cue for _, cue in item.cues if isinstance(cue, Tone))
