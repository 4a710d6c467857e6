"""Render a timeline to samples, streaming: bounded chunks in, bounded chunks out.

Silence is never materialized beyond one shared block of zeros, and each clip
is fetched only when its event plays, so memory does not grow with the
session's length.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import numpy as np

from ..script.timeline import Timeline
from ..sound.bank import AudioBank
from .background import Bed

CHUNK = 1 << 16


def stream(
    timeline: Timeline,
    bank: AudioBank,
    bed: Bed | None = None,
    chunk: int = CHUNK,
    start: int = 0,
    end: int | None = None,
) -> Iterator[np.ndarray]:
    """The session's float32 samples, in order, as arrays of at most ``chunk`` samples.

    ``start`` and ``end`` select a stretch of the session.
    """
    end = timeline.length if end is None else end
    position = start
    for part in _foreground(timeline, bank, chunk, start, end):
        if bed is not None:
            part = part + bed.chunk(position, len(part))
        position += len(part)
        yield part


def _foreground(timeline: Timeline, bank: AudioBank, chunk: int, start: int, end: int) -> Iterator[np.ndarray]:
    zeros = np.zeros(chunk, dtype=np.float32)
    zeros.flags.writeable = False
    events = timeline.events
    first = max(bisect.bisect_right(events, start, key=lambda e: e.start) - 1, 0)
    for event in events[first:]:
        if event.start >= end:
            break
        lo, hi = max(start, event.start) - event.start, min(end, event.end) - event.start
        if event.source is None:
            for at in range(lo, hi, chunk):
                yield zeros[: min(chunk, hi - at)]
            continue
        audio = bank.get(event.source)
        if len(audio) != event.length:
            raise RuntimeError(f"audio for {event.step} is {len(audio)} samples, the timeline says {event.length}")
        for at in range(lo, hi, chunk):
            yield audio[at : min(at + chunk, hi)]


def render(timeline: Timeline, bank: AudioBank, bed: Bed | None = None) -> np.ndarray:
    """The whole session in one array: each event written at its start (for tests and short sessions)."""
    out = np.zeros(timeline.length, dtype=np.float32)
    for event in timeline.events:
        if event.source is not None:
            out[event.start : event.end] = bank.get(event.source)
    if bed is not None:
        out += bed.chunk(0, timeline.length)
    return out
