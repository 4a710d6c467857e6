"""Encoding a session the way long builds do, in this process: parts cut in silence or at seams, joined."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from routinecast.formats import frame_samples
from routinecast.script.timeline import Timeline
from routinecast.write import mp3
from routinecast.write.seams import Joiner
from routinecast.write.segments import Part, split


def encode_in_parts(path: Path, pcm: np.ndarray, timeline: Timeline, kbps: int) -> tuple[mp3.Mp3Stream, list[Part]]:
    """Write ``pcm`` (the samples of ``timeline``) to ``path``; the closed stream and the parts."""
    rate = timeline.sample_rate
    frame = frame_samples(rate)
    parts = split(timeline, frame)
    with open(path, "w+b") as handle:
        stream = mp3.Mp3Stream(handle, rate, kbps)

        def encode(begin: int, end: int) -> bytes:
            encoded = io.BytesIO()
            mp3.encode_part(encoded, [pcm[begin:end]], rate, kbps)
            return encoded.getvalue()

        joiner = Joiner(stream, parts, encode)
        for i, part in enumerate(parts):
            if part.silent:
                stream.silence(part.length // frame)
            else:
                joiner.add(i, io.BytesIO(encode(*joiner.span(i))))
        assert stream.close() == len(pcm)
    return stream, parts
