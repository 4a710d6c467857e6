"""Cutting a session into independently encoded parts: only in digital silence, on the frame grid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from routinecast.model import Background
from routinecast.script.timeline import Event, Timeline
from routinecast.write.segments import MIN_SILENT_FRAMES, PART_SECONDS, ZEROS_AFTER, ZEROS_BEFORE, Part, split

RATE = 22050
FRAME = 576


def timeline_of(runs: list[tuple[str, int]], background: Background | None = None) -> Timeline:
    """A timeline from (kind, length) pairs; kind is ``speech`` or ``silence``."""
    events, pos = [], 0
    for kind, length in runs:
        events.append(Event(kind, pos, length, "steps[0]", source=None if kind == "silence" else f"k{pos}"))
        pos += length
    return Timeline("T", RATE, tuple(events), (), (), background)


def test_long_silence_becomes_a_silent_part_between_margins():
    timeline = timeline_of([("speech", 10_000), ("silence", 30_000), ("speech", 5_000)])
    first = -(-(10_000 + ZEROS_BEFORE) // FRAME) * FRAME  # 12672
    last = (40_000 - ZEROS_AFTER) // FRAME * FRAME  # 38592
    assert split(timeline, FRAME) == [Part(0, first, False), Part(first, last, True), Part(last, 45_000, False)]


def test_short_silences_cut_only_once_a_part_is_long_enough():
    # Silences of 0.25 s: room for a cut, not for a silent part of its own.
    block = [("speech", 22_050), ("silence", 5_500)]
    timeline = timeline_of(block * 40)
    parts = split(timeline, FRAME)
    assert not any(p.silent for p in parts)
    assert all(PART_SECONDS * RATE <= p.length < PART_SECONDS * RATE + 27_550 for p in parts[:-1])
    assert len(parts) == 3


def test_a_background_bed_leaves_no_silence_to_cut_in():
    bed = Background(noise="brown")
    timeline = timeline_of([("speech", 10_000), ("silence", 300_000), ("speech", 5_000)], bed)
    assert split(timeline, FRAME) == [Part(0, 315_000, False)]


def test_a_bed_long_enough_for_two_parts_is_cut_at_seams_on_the_frame_grid():
    bed = Background(noise="brown")
    step = PART_SECONDS * RATE // FRAME * FRAME  # 440,640 samples
    timeline = timeline_of([("speech", 10_000), ("silence", 1_385_000), ("speech", 5_000)], bed)
    assert split(timeline, FRAME) == [
        Part(0, step, False),
        Part(step, 2 * step, False, seam=True),
        Part(2 * step, 1_400_000, False, seam=True),  # the last part takes the rest: 1 to 2 steps
    ]


def test_silence_too_short_for_the_margins_is_not_cut():
    timeline = timeline_of([("speech", 10_000), ("silence", ZEROS_BEFORE + ZEROS_AFTER), ("speech", 600_000)])
    assert split(timeline, FRAME) == [Part(0, 610_000 + ZEROS_BEFORE + ZEROS_AFTER, False)]


@settings(max_examples=200, deadline=None)
@given(
    runs=st.lists(st.tuples(st.sampled_from(["speech", "silence"]), st.integers(1, 200_000)), min_size=1, max_size=40),
    frame=st.sampled_from([576, 1152]),
)
def test_parts_tile_the_session_and_every_cut_is_inside_silence(runs, frame):
    timeline = timeline_of(runs)
    parts = split(timeline, frame)
    assert parts[0].start == 0 and parts[-1].end == timeline.length and not parts[-1].silent
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    assert all(p.length > 0 for p in parts)
    silent_spans = [(e.start, e.end) for e in timeline.events if e.source is None]

    def all_zero(a: int, b: int) -> bool:
        # Inside one stretch of consecutive silence events.
        covered = a
        for start, end in silent_spans:
            if start <= covered < end:
                covered = end
        return covered >= b

    for part in parts[1:]:
        assert part.start % frame == 0
        # A seam is made only where sound runs on for two parts or more, a cut only inside silence.
        assert part.seam or all_zero(part.start - ZEROS_BEFORE, part.start + ZEROS_AFTER)
        assert not part.seam or part.length >= PART_SECONDS * RATE // frame * frame
    for part in parts:
        if part.silent:
            assert part.length >= MIN_SILENT_FRAMES * frame and all_zero(part.start, part.end)
