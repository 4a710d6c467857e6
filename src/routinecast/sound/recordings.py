"""User recordings: sound files a routine plays, decoded to mono at the output rate and levelled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
import soxr

from ..errors import RoutineError
from ..formats import FFMPEG_SUFFIXES
from ..read.media import SCAN_FRAMES, Unusable, audio_problem, decode_with_ffmpeg
from ..speech.clips import fade_edges
from . import loudness

SOUND_OFFSET_DB = -4.0
"""User sounds sit this far below the voice's loudness, before their own gain."""


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """A user's audio file as mono float32 at ``sample_rate``.

    Read a block at a time, mixed down and resampled as it goes, so memory is the
    mono result alone whatever the file's rate and channels. The file was checked
    when the routine was read (``read.media``); its limits are checked again on the
    file opened here, in case it changed since, and no more frames than its header
    declares are ever read. Files libsndfile cannot read (m4a, aac, webm) are
    decoded whole by ffmpeg (``read.media.decode_with_ffmpeg``). Raises
    ``soundfile.LibsndfileError`` when the file cannot be decoded,
    :class:`RoutineError` when it breaks a limit (or, from ffmpeg, cannot be decoded).
    """
    if path.suffix.lower() in FFMPEG_SUFFIXES:
        try:
            mono, rate = decode_with_ffmpeg(path)
        except Unusable as exc:
            raise RoutineError(f"{path}: {exc}") from None
        return mono if rate == sample_rate else soxr.resample(mono, rate, sample_rate, "HQ")
    with soundfile.SoundFile(str(path)) as audio:
        rate, frames = audio.samplerate, audio.frames
        problem = audio_problem(rate, audio.channels, frames)
        if problem:
            raise RoutineError(f"{path}: {problem}")
        stream = None if rate == sample_rate else soxr.ResampleStream(rate, sample_rate, 1, "float32", "HQ")
        out = np.empty(frames * sample_rate // rate + 2, dtype=np.float32)
        done = left = 0
        while True:
            block = audio.read(min(SCAN_FRAMES, frames - left), dtype="float32", always_2d=True)
            left += len(block)
            mono = block.mean(axis=1, dtype=np.float32)
            # A file checked when read holds no NaN or infinity; one edited since must not reach the limiter.
            np.nan_to_num(mono, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
            last = len(block) == 0 or left >= frames
            piece = stream.resample_chunk(mono, last=last) if stream else mono
            if done + len(piece) > len(out):  # never expected: soxr gives round(frames * ratio) in all
                out = np.concatenate([out, np.empty(len(piece), dtype=np.float32)])
            out[done : done + len(piece)] = piece
            done += len(piece)
            if last:
                return out[:done]


def decode_recording(path: Path, lufs: float, sample_rate: int) -> np.ndarray:
    """A user's sound, brought to ``lufs`` integrated loudness, limited and faded at its edges."""
    audio = decode_audio(path, sample_rate)
    if not audio.any():
        return audio
    gain = lufs - loudness.measure(audio, sample_rate)
    return fade_edges(loudness.limit(audio * np.float32(10 ** (gain / 20)), sample_rate), sample_rate)
