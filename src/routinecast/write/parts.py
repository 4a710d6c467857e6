"""Encoding a session in parts, across helper processes, joined into one MP3.

``segments.split`` says where the session may be cut. Helpers read the
timeline, the audio bank and the bed from one file written per build and write their
frames to files, so nothing large crosses a pipe and memory stays flat
however long the session is.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

from ..claims import claimed_folder
from ..formats import frame_samples
from ..mix import mixer
from ..mix.background import Bed
from ..pool import Pool, result
from ..script.timeline import Timeline
from ..sound.bank import AudioBank
from .mp3 import Mp3Stream, encode_part
from .seams import Joiner
from .segments import Part


def encode_parts(
    pool: Pool,
    handle: BinaryIO,
    timeline: Timeline,
    bank: AudioBank,
    bed: Bed | None,
    parts: list[Part],
    bitrate: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode ``parts`` across ``pool``'s workers into ``handle`` as one MP3; returns the samples written.

    ``bed`` is the session's background, if any. ``progress`` hears the samples finished so far, in order.

    Silent parts are copied from frames of silence; the others are encoded
    by the workers, all at once, and joined (``seams``) as each one's turn comes.
    """
    rate = timeline.sample_rate
    frame = frame_samples(rate)
    stream = Mp3Stream(handle, rate, bitrate)

    def encode(begin: int, end: int) -> bytes:
        encoded = io.BytesIO()
        _encode_span(encoded, (timeline, bank, bed), (begin, end), rate, bitrate)
        return encoded.getvalue()

    joiner = Joiner(stream, parts, encode)
    with claimed_folder("routinecast-parts-") as folder:
        plan = Path(folder) / "plan.pickle"
        plan.write_bytes(pickle.dumps((timeline, bank, bed), protocol=pickle.HIGHEST_PROTOCOL))
        futures: dict[int, tuple[Path, Future]] = {}
        for i, part in enumerate(parts):
            if not part.silent:
                path = Path(folder) / f"{i}.mp3"
                futures[i] = path, pool.submit(_encode_part, plan, joiner.span(i), rate, bitrate, path)
        try:
            for i, part in enumerate(parts):
                if part.silent:
                    stream.silence(part.length // frame)
                else:
                    path, future = futures.pop(i)
                    result(future)
                    with open(path, "rb") as source:
                        joiner.add(i, source)
                    path.unlink()
                if progress:
                    progress(part.end)
        finally:
            for _, future in futures.values():
                future.cancel()
        return stream.close()


_plan: tuple[Path, tuple[Timeline, AudioBank, Bed | None]] | None = None


def _encode_part(plan: Path, span: tuple[int, int], rate: int, bitrate: int, out: Path) -> None:
    # A worker keeps the last plan it read: every part of a build shares it.
    global _plan
    if _plan is None or _plan[0] != plan:
        _plan = plan, pickle.loads(plan.read_bytes())
    with open(out, "wb") as handle:
        _encode_span(handle, _plan[1], span, rate, bitrate)


def _encode_span(
    handle: BinaryIO, plan: tuple[Timeline, AudioBank, Bed | None], span: tuple[int, int], rate: int, bitrate: int
) -> None:
    """Mix samples ``span`` of the session ``plan`` holds and encode them with a fresh encoder into ``handle``."""
    timeline, bank, bed = plan
    encode_part(handle, mixer.stream(timeline, bank, bed, start=span[0], end=span[1]), rate, bitrate)
