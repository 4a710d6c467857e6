"""Encoding a session the way long builds do, in this process: parts cut in silence, joined in one stream."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from routinecast.formats import frame_samples
from routinecast.script.timeline import Timeline
from routinecast.write import mp3
from routinecast.write.segments import Part, split


def encode_in_parts(path: Path, pcm: np.ndarray, timeline: Timeline, kbps: int) -> tuple[mp3.Mp3Stream, list[Part]]:
    """Write ``pcm`` (the samples of ``timeline``) to ``path``; the closed stream and the parts."""
    rate = timeline.sample_rate
    frame = frame_samples(rate)
    parts = split(timeline, frame)
    with open(path, "w+b") as handle:
        stream = mp3.Mp3Stream(handle, rate, kbps)
        for i, part in enumerate(parts):
            if part.silent:
                stream.silence(part.length // frame)
            else:
                whole = part.length // frame if i + 1 < len(parts) else None
                stream.add(*mp3.encode_part(handle, [pcm[part.start : part.end]], rate, kbps, whole))
        assert stream.close() == len(pcm)
    return stream, parts
