"""Validation: every problem at once, as file:line:col: message, exit 2 and nothing written."""

from __future__ import annotations

import pytest

from routinecast import RoutineError, load_routine
from routinecast.cli import main
from routinecast.model import Bell, Breathe, Hold, Pause, Repeat, Say, Section, Sides
from routinecast.read.lexicon import for_engine

GOOD = """
title: T
steps:
  - say: Hello.
"""

# (routine text, expected lines with {f} for the file name)
BAD = {
    "unknown top key": (
        "title: T\nstesp: []\n",
        [
            "{f}:2:1: unknown key 'stesp' in routine; did you mean 'steps'?",
            "{f}:2:8: 'steps' is empty; add at least one step",
        ],
    ),
    "missing title": ("steps:\n  - say: Hi.\n", ["{f}:1:1: missing required key 'title'"]),
    "bad duration": (
        "title: T\nsteps:\n  - pause: five\n",
        ["{f}:3:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got five"],
    ),
    "negative duration": (
        "title: T\nsteps:\n  - pause: -5s\n",
        ["{f}:3:12: 'pause' must be longer than zero; got -5s"],
    ),
    "zero duration": ("title: T\nsteps:\n  - pause: 0\n", ["{f}:3:12: 'pause' must be longer than zero; got 0"]),
    "unknown placeholder": (
        "title: T\nsteps:\n  - sides: [left, right]\n    steps:\n      - say: Lift your {sid} leg.\n",
        ["{f}:5:14: unknown placeholder {{sid}}; did you mean {{side}}?"],
    ),
    "placeholder out of scope": (
        "title: T\nsteps:\n  - say: Round {round}.\n",
        ["{f}:3:10: placeholder {{round}} is only available inside 'repeat'"],
    ),
    "empty say": ("title: T\nsteps:\n  - say: ''\n", ["{f}:3:10: 'say' is empty; write the text or remove it"]),
    "too long": (
        "title: T\nsteps:\n  - repeat: 13\n    steps:\n      - pause: 1h\n",
        ["{f}:2:1: session is at least 13h 0m 4.0s long, over the 12-hour limit; shorten pauses, holds or repeats"],
    ),
    "syntax error": (
        "title: T\nsteps:\n  - say: [unclosed\n",
        ["{f}:3:10: YAML syntax error: the '[' here is never closed; add ']' where the list ends"],
    ),
    "duplicate key": (
        "title: T\ntitle: U\nsteps:\n  - say: Hi.\n",
        ["{f}:2:1: duplicate key 'title' (first at line 1); keep only one"],
    ),
    "unknown step kind": (
        "title: T\nsteps:\n  - sey: Hi.\n",
        ["{f}:3:5: unknown step kind 'sey'; did you mean 'say'?"],
    ),
    "two kinds": (
        "title: T\nsteps:\n  - say: Hi.\n    pause: 2s\n",
        ["{f}:3:5: step has both 'say' and 'pause'; split it into two steps"],
    ),
    "wrong type": (
        "title: T\nvoice:\n  rate: fast\nsteps:\n  - say: Hi.\n",
        ["{f}:3:9: 'voice.rate' must be a whole number from 60 to 300; got fast"],
    ),
    "volume range": (
        "title: T\nvoice: {volume: 2}\nsteps:\n  - say: Hi.\n",
        ["{f}:2:17: 'voice.volume' must be a number from 0.0 to 1.0; got 2"],
    ),
    "steps not a list": ("title: T\nsteps: hello\n", ["{f}:2:8: 'steps' must be a list of steps"]),
    "empty file": ("", ["{f}:1:1: file is empty; a routine needs at least 'title' and 'steps'"]),
    "not a mapping": ("- say: Hi.\n", ["{f}:1:1: routine must be a mapping of keys to values"]),
    "repeat without steps": (
        "title: T\nsteps:\n  - repeat: 3\n",
        ["{f}:3:5: 'repeat' needs 'steps', the steps of one round"],
    ),
    "repeat count": (
        "title: T\nsteps:\n  - repeat: 0\n    steps:\n      - say: Hi.\n",
        ["{f}:3:13: 'repeat' must be a whole number from 1 to 10000; got 0"],
    ),
    "bad sample rate": (
        "title: T\noutput: {sample_rate: 44000}\nsteps:\n  - say: Hi.\n",
        [
            "{f}:2:23: 'output.sample_rate' must be one of "
            "8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000; got 44000"
        ],
    ),
    "unbalanced brace": (
        "title: T\nsteps:\n  - say: 'Hi {'\n",
        ["{f}:3:10: unbalanced '{{' or '}}' in text; write {{{{ or }}}} for a literal brace"],
    ),
    "cue beyond hold": (
        "title: T\nsteps:\n  - hold: 5s\n    cues: [{at: 8s, say: Jaw.}]\n",
        ["{f}:4:17: cue at 8.0s is beyond the end of the 5.0s hold; use an offset below 5.0s"],
    ),
    "countdown longer than hold": (
        "title: T\nsteps:\n  - hold: 2s\n    cues: [{countdown: 3}]\n",
        ["{f}:4:24: 'countdown: 3' does not fit in the 2.0s hold; use a smaller number or a longer hold"],
    ),
    "unknown cue": (
        "title: T\nsteps:\n  - hold: 5s\n    cues: [halfwya]\n",
        [
            "{f}:4:12: unknown cue halfwya; a cue is halfway, {{remaining: N}}, {{countdown: N}}, {{halfway: ...}}, "
            "{{at: 8s, say: ...}} or {{after: 1s, say: ...}}"
        ],
    ),
    "breath cue style": (
        "title: T\nsteps:\n  - breathe: {in: 4, out: 4, cue: hum}\n",
        ["{f}:3:35: 'breathe.cue' must be words, count or tone; got 'hum'"],
    ),
    "sound missing": (
        "title: T\nsteps:\n  - sound: nope.wav\n",
        ["{f}:3:12: sound file 'nope.wav' not found (looked in {d}); paths are relative to the routine file"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_routines_report_exact_lines(name, write, tmp_path, capsys):
    text, expected = BAD[name]
    path = write(text)
    out = tmp_path / "out.mp3"
    code = main(["build", str(path), "-o", str(out), "--engine", "fake", "--cache-dir", str(tmp_path / "c")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.splitlines() == [e.format(f=path, d=tmp_path) for e in expected]
    assert captured.out == ""
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != path.name] == []


def test_all_problems_are_reported_at_once(write):
    path = write("""
        title: T
        voice: {rate: 1000}
        steps:
          - pause: nothing
          - say: '{x}'
          - holdd: 3s
    """)
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert [(p.line, p.col) for p in info.value.problems] == [(2, 15), (4, 12), (5, 10), (6, 5)]


def test_not_utf8(tmp_path, capsys):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Caf\u00e9\nsteps:\n  - say: Hi.\n".encode("latin-1"))
    assert main(["check", "--engine", "fake", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}:1:11: file is not valid UTF-8 (byte 0xe9); save it as UTF-8\n"


def test_missing_file(tmp_path, capsys):
    assert main(["check", "--engine", "fake", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nope.yaml'}:1:1: no such file; check the path\n"


def test_safe_loader_only(write):
    path = write("title: !!python/object/apply:os.system ['echo hi']\nsteps:\n  - say: !!python/name:os.system x\n")
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert info.value.lines() == [
        f"{path}:1:8: tag '!!python/object/apply:os.system' is not allowed; a routine is plain YAML data",
        f"{path}:3:10: tag '!!python/name:os.system' is not allowed; a routine is plain YAML data",
    ]


def test_check_ok(write, capsys):
    path = write(GOOD)
    assert main(["check", "--engine", "fake", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok (4.4s)\n"


def test_model_of_every_step_kind(write):
    path = write("""
        title: All
        steps:
          - section: One
          - say: Hi.
          - pause: 1m30s
          - repeat: 2
            steps: [{say: 'Round {round} of {rounds}.'}]
          - sides: [left, right]
            switch: Switch.
            steps: [{say: '{side}'}]
          - hold: 30s
            say: Hold.
            cues: [halfway, {remaining: 10}, {countdown: 3}, {at: 8s, say: Jaw.}]
            then: Release.
          - breathe: {in: 4, hold: 7, out: 8, rest: 1.5, cycles: 5, cue: count}
          - bell
          - bell: {preset: end, gain: -6dB}
    """)
    routine = load_routine(path)
    kinds = [type(s) for s in routine.steps]
    assert kinds == [Section, Say, Pause, Repeat, Sides, Hold, Breathe, Bell, Bell]
    assert routine.steps[2].ms == 90_000
    hold = routine.steps[5]
    assert [(c.kind, c.value) for c in hold.cues] == [("halfway", 0), ("remaining", 10), ("countdown", 3), ("at", 8000)]
    breathe = routine.steps[6]
    assert (breathe.in_ms, breathe.hold_ms, breathe.out_ms, breathe.rest_ms, breathe.cycles) == (
        4000,
        7000,
        8000,
        1500,
        5,
    )
    assert routine.steps[8].gain_db == -6.0
    assert dict(for_engine(routine.lexicon, "pyttsx3"))["psoas"] == "soh-us"
