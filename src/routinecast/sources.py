"""The audio behind each event key: speech clips from the store, tones, and user recordings."""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial
from pathlib import Path

import numpy as np
import soundfile
import soxr

from . import encoder, loudness
from .cache import ClipStore, clip_key
from .errors import Problem, RoutineError
from .model import Output, Routine
from .pool import Pool, done
from .script import Item, Spoken, Tone, sounding
from .speech import ClipRef, fade_edges, to_pcm16
from .tones import REFERENCE_LUFS, render_tone

# User sounds sit this far below the voice's loudness, before their own gain.
SOUND_OFFSET_DB = -4.0


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

    def level_voice(self, rate: int, gain: float, pool: Pool) -> None:
        """Run every speech clip through the loudness chain at ``gain`` dB (from :func:`voice_gain`).

        Processed clips are cached; the ones missing are made across ``pool``'s workers.
        """
        todo = []
        for text, ref in self.clips.items():
            leveled = ClipRef(clip_key(clip=ref.key, gain=gain, chain=loudness.CHAIN), ref.samples)
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
                    problems.append(Problem(routine.source, where.line, where.col,
                                            f"cannot read sound file '{item.step.path.name}' ({reason}); use wav, flac, ogg or mp3"))
        if problems:
            raise RoutineError(problems)

    def get(self, key: str) -> np.ndarray:
        """Samples for ``key``: a tone or recording key, or a spoken line."""
        if key in self.kept:
            return self.kept[key]
        return _load(self.store, self.clips[key].key)


def voice_gain(store: ClipStore, output: Output, calibration: list[ClipRef], pool: Pool) -> Future[float]:
    """The voice gain (dB) that brings ``calibration`` (``loudness.CALIBRATION`` in the session's voice),
    through the chain and the output codec, to the loudness target.

    Remembered in ``store``; when it is not known yet, it is measured in one of ``pool``'s workers.
    """
    codec = (output.format or "mp3", output.bitrate)
    key = clip_key(sample=[ref.key for ref in calibration], target=output.loudness, chain=loudness.CHAIN, codec=codec)
    known = store.recall(key)
    if known is not None:
        return done(lambda: known)
    return pool.submit(_measure_voice, store, output, calibration, key)


def _measure_voice(store: ClipStore, output: Output, calibration: list[ClipRef], key: str) -> float:
    rate = output.sample_rate
    round_trip = partial(encoder.round_trip, sample_rate=rate, bitrate=output.bitrate) if output.format != "wav" else None
    gain = loudness.voice_gain([_load(store, ref.key) for ref in calibration], rate, output.loudness, round_trip)
    store.remember(key, gain)
    return gain


def level_clip(store: ClipStore, raw: ClipRef, gain: float, rate: int) -> None:
    """Store the clip ``raw`` through the voice chain at ``gain``, under the key ``level_voice`` expects."""
    key = clip_key(clip=raw.key, gain=gain, chain=loudness.CHAIN)
    store.save(key, to_pcm16(loudness.process(_load(store, raw.key), rate, gain)))


def _load(store: ClipStore, key: str) -> np.ndarray:
    clip = store.load(key)
    if clip is None:
        raise RuntimeError(f"speech clip {key} vanished from the cache during the build")
    return clip.astype(np.float32) / 32768.0


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """A user's audio file as mono float32 at ``sample_rate``.

    Raises ``soundfile.LibsndfileError`` when the file cannot be decoded.
    """
    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != sample_rate:
        mono = soxr.resample(mono, rate, sample_rate, quality="HQ")
    return np.ascontiguousarray(mono, dtype=np.float32)


def decode_recording(path: Path, lufs: float, sample_rate: int) -> np.ndarray:
    """A user's sound, brought to ``lufs`` integrated loudness, limited and faded at its edges."""
    audio = decode_audio(path, sample_rate)
    if not audio.any():
        return audio
    gain = lufs - loudness.measure(audio, sample_rate)
    return fade_edges(loudness.limit(audio * np.float32(10 ** (gain / 20)), sample_rate), sample_rate)
