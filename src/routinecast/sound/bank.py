"""The audio bank: the samples behind every event key of a session.

Speech clips come from the store (levelled through the voice chain), tones
are synthesized and user recordings decoded, all at the output rate.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import soundfile

from ..cache import ClipStore
from ..errors import Problem, RoutineError
from ..model import Routine
from ..pool import Pool
from ..script.items import Item, Spoken, Tone, sounding
from ..speech.clips import ClipRef
from .levelling import level_clip, levelled_key, read_clip
from .recordings import SOUND_OFFSET_DB, decode_recording
from .tones import REFERENCE_LUFS, render_tone


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

    def level_voice(self, rate: int, gain: float, pool: Pool, keys: Iterable[str]) -> None:
        """Run one voice's speech clips (by ``keys``) through the loudness chain at ``gain`` dB (from
        :func:`voice_gain`).

        Processed clips are cached; the ones missing are made across ``pool``'s workers.
        """
        todo = []
        for text in keys:
            ref = self.clips[text]
            key = levelled_key(ref, gain)
            leveled = ClipRef(key, ref.samples, key)  # its key is made from its content
            if self.store.load(leveled.key) is None:
                todo.append(ref)
            self.clips[text] = leveled
        n = len(todo)
        pool.map(level_clip, [self.store] * n, todo, [gain] * n, [rate] * n)

    def add_items(self, routine: Routine, items: list[Item]) -> None:
        """Render every tone and decode every recording the script uses, at levels set by the loudness target."""
        rate = routine.output.sample_rate
        offset = routine.output.loudness - REFERENCE_LUFS
        problems = []
        for item in sounding(items):
            if isinstance(item, Spoken) or item.key in self.kept:
                continue
            if isinstance(item, Tone):
                self.kept[item.key] = render_tone(item.name, item.ms, item.gain_db + offset, rate)
            else:
                try:
                    level = routine.output.loudness + SOUND_OFFSET_DB + item.step.gain_db
                    self.kept[item.key] = decode_recording(item.step.path, level, rate)
                except soundfile.LibsndfileError as exc:
                    reason = exc.error_string.rstrip(".").lower()
                    where = item.where
                    problems.append(
                        Problem(
                            where.file or routine.source,
                            where.line,
                            where.col,
                            f"cannot read sound file '{item.step.path.name}' ({reason}); use wav, flac, ogg or mp3",
                        )
                    )
        if problems:
            raise RoutineError(problems)

    def get(self, key: str) -> np.ndarray:
        """Samples for ``key``: a tone or recording key, or a spoken line."""
        if key in self.kept:
            return self.kept[key]
        return read_clip(self.store, self.clips[key].key)
