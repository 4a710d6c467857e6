"""Layout: exact sample positions, gaps, chapters, windows, cue clashes, and the timeline file."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routinecast import RoutineError, load_routine
from routinecast.script import record
from routinecast.script.expansion import expand
from routinecast.script.items import Spoken, Tone, Window, sounding
from routinecast.script.timeline import layout

HEADER = """
title: T
output: {sample_rate: 8000, head: 1s, tail: 2s}
voice: {gap: 500ms}
"""


def lay(write, steps: str, lengths: dict[str, int] | None = None, default: int = 8000):
    routine = load_routine(write(HEADER + steps))
    items = expand(routine)
    keys = {}
    for sound in sounding(items):
        if isinstance(sound, Spoken):
            keys[sound.spoken] = (lengths or {}).get(sound.spoken, default)
        else:
            keys[sound.key] = sound.ms * 8 if isinstance(sound, Tone) else default
    return layout(routine, items, keys)


def spans(timeline):
    return [(e.kind, e.start, e.length, e.text) for e in timeline.events]


def test_exact_positions_with_gaps_repeat_and_sides(write):
    timeline = lay(
        write,
        """
steps:
  - section: Start
  - say: A.
  - repeat: 2
    steps:
      - say: R{round}.
      - pause: 1s
  - sides: [left, right]
    switch: Switch.
    steps:
      - say: '{side}'
""",
        {"A.": 4000, "R1.": 800, "R2.": 800, "Switch.": 1600, "Left": 2400, "Right": 2000},
    )
    assert spans(timeline) == [
        ("silence", 0, 8000, None),  # head
        ("speech", 8000, 4000, "A."),
        ("silence", 12000, 4000, None),  # gap between two lines
        ("speech", 16000, 800, "R1."),
        ("silence", 16800, 8000, None),
        ("speech", 24800, 800, "R2."),
        ("silence", 25600, 8000, None),
        ("speech", 33600, 2400, "Left"),
        ("silence", 36000, 4000, None),
        ("speech", 40000, 1600, "Switch."),
        ("silence", 41600, 4000, None),
        ("speech", 45600, 2000, "Right"),
        ("silence", 47600, 16000, None),  # tail
    ]
    assert timeline.length == 63600
    assert [(c.label, c.start, c.end) for c in timeline.chapters] == [("Start", 0, 63600)]


def test_hold_window_is_exact_and_then_starts_at_its_end(write):
    timeline = lay(
        write,
        """
steps:
  - hold: 10s
    say: Hold.
    cues: [halfway, {countdown: 2}]
    then: Release.
""",
        {"Hold.": 4000, "Halfway.": 6000, "Two": 3000, "One": 3000, "Release.": 5000},
    )
    assert spans(timeline) == [
        ("silence", 0, 8000, None),
        ("speech", 8000, 4000, "Hold."),
        ("silence", 12000, 40000, None),
        ("speech", 52000, 6000, "Halfway."),
        ("silence", 58000, 18000, None),
        ("speech", 76000, 3000, "Two"),
        ("silence", 79000, 5000, None),
        ("speech", 84000, 3000, "One"),
        ("silence", 87000, 5000, None),
        ("speech", 92000, 5000, "Release."),
        ("silence", 97000, 16000, None),
    ]
    assert [(w.kind, w.start, w.end) for w in timeline.windows] == [("hold", 12000, 92000)]


def test_breath_phases_are_back_to_back(write):
    timeline = lay(
        write,
        """
steps:
  - breathe: {in: 4, hold: 2, out: 6, rest: 1, cycles: 2, cue: tone}
""",
    )
    windows = [(w.kind, w.start, w.end - w.start) for w in timeline.windows]
    assert windows == [
        ("in", 8000, 32000),
        ("hold_in", 40000, 16000),
        ("out", 56000, 48000),
        ("rest", 104000, 8000),
        ("in", 112000, 32000),
        ("hold_in", 144000, 16000),
        ("out", 160000, 48000),
        ("rest", 208000, 8000),
    ]
    tones = [(e.start, e.length) for e in timeline.events if e.kind == "tone"]
    assert tones == [(8000, 28800), (56000, 43200), (112000, 28800), (160000, 43200)]


def test_countdown_that_cannot_fit(write):
    with pytest.raises(RoutineError) as info:
        lay(
            write,
            """
steps:
  - hold: 5s
    cues:
      - countdown: 3
""",
            {"Three": 9000, "Two": 1000, "One": 1000},
        )
    (line,) = info.value.lines()
    assert line.endswith(
        "routine.yaml:8:9: 'Three' at 2.0s of the 5.0s hold is still speaking when 'Two' starts at 3.0s "
        "(overlaps by 125 ms); use fewer or shorter cues, a longer window, or a faster voice.rate"
    )


def test_cue_overrunning_the_window_end(write):
    with pytest.raises(RoutineError) as info:
        lay(
            write,
            """
steps:
  - hold: 5s
    cues:
      - remaining: 1
""",
            {"One second left.": 8800},
        )
    (line,) = info.value.lines()
    assert line.endswith(
        "routine.yaml:8:9: 'One second left.' at 4.0s of the 5.0s hold is still speaking when the 5.0s hold ends "
        "(overruns by 100 ms); use fewer or shorter cues, a longer window, or a faster voice.rate"
    )


def test_breath_word_longer_than_its_phase(write):
    with pytest.raises(RoutineError) as info:
        lay(
            write,
            """
steps:
  - breathe: {in: 1, out: 2, cycles: 2}
""",
            {"Breathe in": 9600, "Breathe out": 8000},
        )
    assert [line.split(":", 1)[1] for line in info.value.lines()] == [
        "6:5: 'Breathe in' at 0.0s of the in-breath 1 of 2 is still speaking when the in-breath 1 of 2 ends "
        "(overruns by 200 ms); use fewer or shorter cues, a longer window, or a faster voice.rate",
        "6:5: 'Breathe in' at 0.0s of the in-breath 2 of 2 is still speaking when the in-breath 2 of 2 ends "
        "(overruns by 200 ms); use fewer or shorter cues, a longer window, or a faster voice.rate",
    ]


def test_chapters_cover_the_session(write):
    timeline = lay(
        write,
        """
steps:
  - say: Welcome.
  - section: One
  - pause: 2s
  - section: Two
  - section: Three
  - pause: 1s
""",
        {"Welcome.": 8000},
    )
    assert [(c.label, c.start, c.end) for c in timeline.chapters] == [
        ("T", 0, 16000),
        ("One", 16000, 32000),
        ("Three", 32000, 56000),
    ]


def test_timeline_file_is_exact(write):
    timeline = lay(
        write,
        """
steps:
  - section: Only
  - say: Hello.
  - hold: 1s
""",
        {"Hello.": 3528},
    )
    assert json.loads(record.dump(timeline)) == {
        "title": "T",
        "sample_rate": 8000,
        "duration_ms": 4441.0,
        "events": [
            {"kind": "silence", "start_ms": 0.0, "end_ms": 1000.0, "step": "output.head"},
            {"kind": "speech", "start_ms": 1000.0, "end_ms": 1441.0, "text": "Hello.", "step": "steps[1]"},
            {"kind": "silence", "start_ms": 1441.0, "end_ms": 2441.0, "step": "steps[2]"},
            {"kind": "silence", "start_ms": 2441.0, "end_ms": 4441.0, "step": "output.tail"},
        ],
        "windows": [{"kind": "hold", "start_ms": 1441.0, "end_ms": 2441.0, "step": "steps[2]"}],
        "chapters": [{"title": "Only", "start_ms": 0.0, "end_ms": 4441.0}],
    }


# -- properties ------------------------------------------------------------------------

_leaf = st.one_of(
    st.builds(lambda t: f"- say: Line {t}.", st.integers(0, 5)),
    st.builds(lambda ms: f"- pause: {ms}ms", st.integers(1, 3000)),
    st.builds(
        lambda s, h: f"- hold: {s}s\n  say: Hold {h}.\n  cues: [halfway]\n  then: Out.",
        st.integers(2, 20),
        st.integers(0, 3),
    ),
    st.builds(
        lambda i, o, c: f"- breathe: {{in: {i}, out: {o}, cycles: {c}, cue: tone}}",
        st.integers(1, 6),
        st.integers(1, 8),
        st.integers(1, 3),
    ),
    st.just("- bell: soft"),
)


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line for line in text.splitlines())


_steps = st.recursive(
    st.lists(_leaf, min_size=1, max_size=4).map("\n".join),
    lambda inner: st.one_of(
        st.builds(lambda n, body: f"- repeat: {n}\n  steps:\n{_indent(body, 4)}", st.integers(1, 3), inner),
        st.builds(lambda body: f"- sides: [left, right]\n  switch: Switch.\n  steps:\n{_indent(body, 4)}", inner),
        st.lists(inner, min_size=1, max_size=3).map("\n".join),
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(body=_steps, clip=st.integers(100, 3000))
def test_timeline_invariants(tmp_path_factory, body, clip):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "r.yaml"
    path.write_text(HEADER + "steps:\n" + _indent(body, 2) + "\n")
    routine = load_routine(path)
    items = expand(routine)
    lengths = {
        s.spoken if isinstance(s, Spoken) else s.key: clip if isinstance(s, Spoken) else s.ms * 8
        for s in sounding(items)
    }
    try:
        timeline = layout(routine, items, lengths)
    except RoutineError as exc:  # a cue that cannot fit is reported, never laid out wrong
        assert all("is still speaking" in line for line in exc.lines())
        return
    events = timeline.events
    assert events[0].start == 0
    assert all(a.end == b.start for a, b in zip(events, events[1:]))  # gap-free, no overlap
    assert all(e.length > 0 for e in events)
    assert sum(e.length for e in events) == timeline.length
    declared = [it.ms for it in items if isinstance(it, Window)]
    assert [w.end - w.start for w in timeline.windows] == [ms * 8 for ms in declared]
    for window in timeline.windows:  # windows line up with event boundaries
        assert any(e.start == window.start for e in events) and any(e.end == window.end for e in events)
    assert timeline.chapters[0].start == 0 and timeline.chapters[-1].end == timeline.length
