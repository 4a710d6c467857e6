"""Where a session can be cut into parts that encode independently, and in parallel.

An MP3 encoder carries state from frame to frame (filter history, the bit
reservoir), so a stream cannot simply be cut anywhere. In digital silence
it can: a fresh encoder sees the same zeros the running one would, so parts
encoded apart and joined on the frame grid decode exactly like one stream,
with no gap, click or drift. A routine is mostly silence (holds, pauses), so
there are cuts aplenty; long silences become parts of their own, copied from
frames of silence encoded once. Sound that runs on with no silence to cut in
(a background bed leaves none) is cut at seams instead: parts that overlap
by a few frames and are joined where their encoders agree (see ``seams``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..script.timeline import Timeline

GRANULE = 576
ZEROS_BEFORE = 4 * GRANULE  # silence a cut needs before it: the encoder's delay plus its filters' reach
ZEROS_AFTER = 2 * GRANULE  # and after it: what the encoder looks ahead
MIN_SILENT_FRAMES = 16  # shorter silences stay inside the sound part around them
PART_SECONDS = 20  # sound parts grow to about this long before the next cut, to keep the jobs few
LEAD = 12  # frames a part after a seam is encoded from before it, for its encoder to warm up on the same audio
TAIL = 24  # frames the part before a seam runs past it: the frames it may be joined in, and its look-ahead


@dataclass(frozen=True)
class Part:
    """A stretch of the session that is encoded on its own."""

    start: int
    """First sample; a whole number of frames from the session's start."""
    end: int
    """One past the last sample."""
    silent: bool
    """Whether it is digital silence throughout."""
    seam: bool = False
    """Whether it starts at a seam inside sound (overlapping the part before it), not at a cut in silence."""

    @property
    def length(self) -> int:
        """Number of samples."""
        return self.end - self.start


def split(timeline: Timeline, frame: int) -> list[Part]:
    """Parts covering the session in order, on the ``frame`` grid: cut inside digital silence where it
    has any, and at seams where sound runs on for longer than two parts.

    Every part but the last is a whole number of frames long; the last is never silent.
    """
    grow = PART_SECONDS * timeline.sample_rate
    return [seamed for part in _cuts(timeline, frame, grow) for seamed in _seams(part, frame, grow)]


def _cuts(timeline: Timeline, frame: int, grow: int) -> list[Part]:
    """The parts cut in digital silence only."""
    if timeline.background is not None or timeline.length == 0:
        return [Part(0, timeline.length, False)]
    parts: list[Part] = []
    start = 0
    for a, b in _zero_runs(timeline):
        first = -(-(a + ZEROS_BEFORE) // frame) * frame
        last = (b - ZEROS_AFTER) // frame * frame
        if first > last or first <= start:
            continue
        if last - first >= MIN_SILENT_FRAMES * frame:
            parts += [Part(start, first, False), Part(first, last, True)]
            start = last
        elif first - start >= grow:
            parts.append(Part(start, first, False))
            start = first
    parts.append(Part(start, timeline.length, False))
    return parts


def _seams(part: Part, frame: int, grow: int) -> list[Part]:
    """``part`` as it is, or, if it is sound longer than two parts, cut at seams about ``grow`` apart."""
    if part.silent or part.length < 2 * grow:
        return [part]
    step = grow // frame * frame
    starts = range(part.start, part.end - step, step)  # the last part is between one and two steps long
    ends = [*starts[1:], part.end]
    return [Part(a, b, False, seam=a != part.start) for a, b in zip(starts, ends)]


def _zero_runs(timeline: Timeline) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal stretch of silence events."""
    run: list[int] | None = None
    for event in timeline.events:
        if event.source is None:
            run = [run[0] if run else event.start, event.end]
            continue
        if run:
            yield run[0], run[1]
        run = None
    if run:
        yield run[0], run[1]
