"""Computed placeholders ({hold_time}, {session_time}, {exercise}, {this_round}) and the cues added with
blocks in mind: 'after' the cue before, a sound or a bell as a cue, halfway in words of its own."""

import numpy as np
import pytest
import soundfile

from routinecast import load_routine, plan
from routinecast.errors import RoutineError
from routinecast.options import CueWords
from routinecast.script.expansion import expand
from routinecast.script.items import After, Recording, Spoken, Tone, Window


def test_lengths_rounds_and_sections_are_said_in_words(write):
    routine = load_routine(
        write("""
        title: T
        cues: {minute: "{n} minute", seconds: "{n} secs", last_round: "the final round"}
        steps:
          - section: One
          - hold: 90s
            say: Hold for {hold_time}, exercise {exercise} of {exercises}.
          - section: Two
          - repeat: 3
            steps:
              - say: This is {this_round}.
    """)
    )
    said = [item.text for item in expand(routine) if isinstance(item, Spoken)]
    assert said == [
        "Hold for one minute thirty secs, exercise one of two.",
        "This is round one.",
        "This is round two.",
        "This is the final round.",
    ]


def test_session_time_says_the_real_length(write, fake):
    path = write("""
        title: T
        steps:
          - say: This session lasts {session_time}.
          - pause: 50s
          - say: Done.
    """)
    planned = plan(path, fake)
    length = planned.timeline.ms(planned.timeline.length)
    said = planned.timeline.events[1].text
    # Under a minute, the length is said to the second.
    assert said == f"This session lasts {CueWords().number(round(length / 1000))} seconds."
    assert 55_000 < length < 59_000


def test_after_places_a_cue_where_the_one_before_ends(write, fake):
    path = write("""
        title: T
        output: {head: 0s, tail: 0s}
        steps:
          - hold: 10s
            cues:
              - {at: 2s, say: Begin.}
              - {after: 500ms, say: Breathe.}
              - {halfway: Switch.}
              - {after: 0s, bell: soft}
    """)
    routine = load_routine(path)
    (window,) = expand(routine)
    assert isinstance(window, Window)
    places = [place for place, _ in window.cues]
    assert places == [2000, After(500), 5000, After(0)]
    assert isinstance(window.cues[3][1], Tone) and window.cues[3][1].name == "bell-soft"
    timeline = plan(path, fake).timeline
    events = [(e.kind, timeline.ms(e.start), timeline.ms(e.end)) for e in timeline.events]
    begin = events[1]
    assert begin[0:2] == ("speech", 2000.0)
    assert events[3][0:2] == ("speech", round(begin[2] + 500, 3))  # Breathe, half a second after Begin ends
    assert events[5][0:2] == ("speech", 5000.0)  # Switch, at halfway
    assert events[6] == ("tone", events[5][2], events[5][2] + 3000.0)  # the soft bell as Switch ends


def test_a_sound_file_as_a_cue(write, fake, tmp_path):
    rate = 22050
    soundfile.write(tmp_path / "clap.wav", np.zeros(rate // 4), rate)
    path = write("""
        title: T
        steps:
          - hold: 3s
            cues: [{at: 1s, sound: clap.wav, gain: -6dB}]
    """)
    (window,) = expand(load_routine(path))
    ((place, cue),) = window.cues
    assert place == 1000 and isinstance(cue, Recording) and cue.step.gain_db == -6.0
    timeline = plan(path, fake).timeline
    (clap,) = [e for e in timeline.events if e.kind != "silence"]
    assert (clap.kind, timeline.ms(clap.start)) == ("sound", 2000.0)
    assert timeline.ms(clap.length) == pytest.approx(250, abs=0.05)


def test_a_cue_after_the_end_of_the_hold_is_refused(write, fake):
    path = write("""
        title: T
        steps:
          - hold: 3s
            cues:
              - {at: 0s, say: A short line.}
              - {after: 3s, say: Too late.}
    """)
    with pytest.raises(RoutineError) as caught:
        plan(path, fake)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:6:9: 'Too late.' would start 3.8s into the 3.0s hold, after it ends; "
        "use a shorter 'after', fewer cues before it, or a longer hold"
    ]


def test_cue_mistakes_are_located(write):
    path = write("""
        title: T
        steps:
          - hold: 5s
            cues:
              - {at: 1s, after: 1s, say: A.}
              - {at: 1s, say: A., bell: soft}
              - {after: 1s}
              - {at: 1s, say: A., gain: -3dB}
              - {halfway: "..."}
    """)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    cues = "{remaining: N}, {countdown: N}, {halfway: ...}, {at: 8s, say: ...} or {after: 1s, say: ...}"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:9: cue has both 'at' and 'after'; a cue is halfway, {cues}",
        f"{path}:6:9: cue has both 'say' and 'bell'; a cue is halfway, {cues}",
        f"{path}:7:10: cue 'after' needs 'say' (the words), 'sound' (a file) or 'bell' (a preset)",
        f"{path}:8:27: 'gain' goes with 'sound', the level of the sound file; remove it",
        f"{path}:9:19: 'halfway' has nothing to speak, only punctuation or symbols; write some words or remove it",
    ]
