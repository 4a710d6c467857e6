"""Render a timeline to samples, streaming: bounded chunks in, bounded chunks out.

Silence is never materialized beyond one shared block of zeros, and each clip
is fetched only when its event plays, so memory does not grow with the
session's length.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .background import Bed
from .sources import AudioBank
from .timeline import Timeline

CHUNK = 1 << 16


def stream(timeline: Timeline, bank: AudioBank, bed: Bed | None = None, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The session's float32 samples, in order, as arrays of at most ``chunk`` samples."""
    position = 0
    for part in _foreground(timeline, bank, chunk):
        if bed is not None:
            part = part + bed.chunk(position, len(part))
        position += len(part)
        yield part


def _foreground(timeline: Timeline, bank: AudioBank, chunk: int) -> Iterator[np.ndarray]:
    zeros = np.zeros(chunk, dtype=np.float32)
    zeros.flags.writeable = False
    for event in timeline.events:
        if event.source is None:
            for start in range(0, event.length, chunk):
                yield zeros[: min(chunk, event.length - start)]
            continue
        audio = bank.get(event.source)
        if len(audio) != event.length:
            raise RuntimeError(f"audio for {event.step} is {len(audio)} samples, the timeline says {event.length}")
        for start in range(0, event.length, chunk):
            yield audio[start:start + chunk]


def render(timeline: Timeline, bank: AudioBank, bed: Bed | None = None) -> np.ndarray:
    """The whole session in one array: each event written at its start (for tests and short sessions)."""
    out = np.zeros(timeline.length, dtype=np.float32)
    for event in timeline.events:
        if event.source is not None:
            out[event.start:event.end] = bank.get(event.source)
    if bed is not None:
        out += bed.chunk(0, timeline.length)
    return out
