"""Encoding a session in parts, across helper processes, joined into one MP3.

``segments.split`` says where the session may be cut. Helpers read the
timeline and the audio bank from one file written per build and write their
frames to files, so nothing large crosses a pipe and memory stays flat
however long the session is.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

from ..claims import claimed_folder
from ..formats import frame_samples
from ..mix import mixer
from ..pool import Pool, result
from ..script.timeline import Timeline
from ..sound.bank import AudioBank
from .mp3 import Mp3Stream, encode_part
from .segments import Part


def encode_parts(
    pool: Pool,
    handle: BinaryIO,
    timeline: Timeline,
    bank: AudioBank,
    parts: list[Part],
    bitrate: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode ``parts`` across ``pool``'s workers into ``handle`` as one MP3; returns the samples written.

    ``progress`` hears the samples finished so far, in order.

    Silent parts are copied from frames of silence; the others are encoded
    by the workers, all at once, and appended as each one's turn comes.
    """
    rate = timeline.sample_rate
    frame = frame_samples(rate)
    with claimed_folder("routinecast-parts-") as folder:
        plan = Path(folder) / "plan.pickle"
        plan.write_bytes(pickle.dumps((timeline, bank), protocol=pickle.HIGHEST_PROTOCOL))
        futures: dict[int, tuple[Path, Future]] = {}
        for i, part in enumerate(parts):
            if not part.silent:
                frames = part.length // frame if i + 1 < len(parts) else None
                path = Path(folder) / f"{i}.mp3"
                futures[i] = path, pool.submit(_encode_part, plan, part, rate, bitrate, frames, path)
        stream = Mp3Stream(handle, rate, bitrate)
        try:
            for i, part in enumerate(parts):
                if part.silent:
                    stream.silence(part.length // frame)
                else:
                    path, future = futures.pop(i)
                    frames, samples = result(future)
                    with open(path, "rb") as source:
                        stream.copy(source, frames, samples)
                    path.unlink()
                if progress:
                    progress(part.end)
        finally:
            for _, future in futures.values():
                future.cancel()
        return stream.close()


_plan: tuple[Path, tuple[Timeline, AudioBank]] | None = None


def _encode_part(plan: Path, part: Part, rate: int, bitrate: int, frames: int | None, out: Path) -> tuple[int, int]:
    # A worker keeps the last plan it read: every part of a build shares it.
    global _plan
    if _plan is None or _plan[0] != plan:
        _plan = plan, pickle.loads(plan.read_bytes())
    timeline, bank = _plan[1]
    with open(out, "wb") as handle:
        chunks = mixer.stream(timeline, bank, start=part.start, end=part.end)
        return encode_part(handle, chunks, rate, bitrate, frames)
