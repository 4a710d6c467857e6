"""Composition: parameters and --set, blocks and use, includes, merge keys; every problem at its own place."""

import pytest

from routinecast import load_routine
from routinecast.cli import main
from routinecast.errors import RoutineError
from routinecast.model import Hold, Repeat, Say, Section


def problems(path, given=()) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        load_routine(path, given)
    return [str(p) for p in caught.value.problems]


def test_parameters_fill_whole_values_typed_and_texts_as_written(write):
    path = write("""
        title: T
        parameters: {hold: 30s, times: 2, part: hip}
        steps:
          - repeat: "{times}"
            steps:
              - hold: "{hold}"
                say: Let the {part} soften.
          - hold: {hold}
    """)
    repeat, bare = load_routine(path).steps
    assert isinstance(repeat, Repeat) and repeat.times == 2
    assert repeat.steps[0] == Hold(30_000, "Let the hip soften.", (), None, repeat.steps[0].where)
    assert bare.ms == 30_000  # {hold} without quotes is a YAML mapping; it is taken as the placeholder


def test_set_overrides_defaults_and_is_reported_where_it_was_given(write):
    path = write("""
        title: T
        parameters: {hold: 30s, times: 2}
        steps:
          - repeat: "{times}"
            steps: [{hold: "{hold}"}]
    """)
    (repeat,) = load_routine(path, [("hold", "45s"), ("times", "3")]).steps
    assert (repeat.times, repeat.steps[0].ms) == (3, 45_000)
    assert problems(path, [("times", "lots")]) == [
        "--set times:1:1: 'repeat' must be a whole number from 1 to 10000; got lots"
    ]
    with pytest.raises(RoutineError) as caught:
        load_routine(path, [("hodl", "45s")])
    assert (
        str(caught.value)
        == f"--set hodl: {path} has no parameter 'hodl'; did you mean 'hold'? its parameters: hold, times"
    )


def test_parameter_names_are_checked(write):
    path = write("""
        title: T
        parameters: {round: 2, Hold: 3s, ok: ~}
        steps: [{say: "Hi {ok}."}]
    """)
    assert problems(path) == [
        f"{path}:2:14: parameter name 'round' is a placeholder routinecast fills; choose another name",
        f"{path}:2:24: parameter name 'Hold' must be lower-case letters, digits and _, like hold_time",
        f"{path}:2:34: routine needs a value for 'ok', which has no default; "
        "give it a default, or set it with --set ok=VALUE",
    ]


def test_blocks_are_used_with_their_parameters(write):
    path = write("""
        title: T
        blocks:
          exercise:
            parameters: {name: ~, slot: 20s}
            steps:
              - section: "{name}"
              - hold: "{slot}"
                say: "{name}."
        steps:
          - {use: exercise, name: Squats}
          - {use: exercise, name: Plank, slot: 45s}
    """)
    steps = load_routine(path).steps
    assert [type(s).__name__ for s in steps] == ["Section", "Hold", "Section", "Hold"]
    assert (steps[0].title, steps[1].ms, steps[1].say) == ("Squats", 20_000, "Squats.")
    assert (steps[2].title, steps[3].ms, steps[3].say) == ("Plank", 45_000, "Plank.")
    assert steps[3].where.line == 7  # where the hold is written, in the block


def test_block_mistakes_are_located(write):
    path = write("""
        title: T
        blocks:
          loop:
            steps: [{use: loop}]
          exercise:
            parameters: {name: ~}
            steps: [{say: "{name}."}]
        steps:
          - {use: exercize, name: A}
          - {use: exercise, nmae: A}
          - {use: exercise}
          - {use: loop}
    """)
    assert problems(path) == [
        f"{path}:4:19: block 'loop' uses itself (loop -> loop); remove one of the uses",
        f"{path}:9:11: no block named 'exercize'; did you mean 'exercise'?",
        f"{path}:10:5: block 'exercise' needs a value for 'name', which has no default; write 'name: ...' beside 'use'",
        f"{path}:10:21: block 'exercise' has no parameter 'nmae'; did you mean 'name'?",
        f"{path}:11:5: block 'exercise' needs a value for 'name', which has no default; write 'name: ...' beside 'use'",
    ]


def test_include_inserts_a_chapter_and_its_steps(write, tmp_path):
    (tmp_path / "shared").mkdir()
    write(
        """
        title: Before you begin
        parameters: {who: everyone}
        lexicon: {psoas: SO-as}
        steps:
          - say: Welcome, {who}. Stop if anything hurts.
        """,
        "shared/safety.yaml",
    )
    path = write("""
        title: T
        steps:
          - include: shared/safety.yaml
            with: {who: friends}
          - say: Lie down.
    """)
    routine = load_routine(path)
    section, welcome, lie = routine.steps
    assert section == Section("Before you begin", section.where)
    assert welcome == Say("Welcome, friends. Stop if anything hurts.", welcome.where)
    assert (welcome.where.file, welcome.where.line) == (str(path.parent / "shared/safety.yaml"), 5)
    assert lie.where.file is None
    assert ("psoas", "", "SO-as") in routine.lexicon


def test_include_problems_are_reported_in_the_included_file(write, tmp_path):
    write("title: A\nsteps:\n  - include: b.yaml\n", "a.yaml")
    write("title: B\nsteps:\n  - include: a.yaml\n  - pause: soon\n", "b.yaml")
    path = write("""
        title: T
        steps:
          - include: a.yaml
          - include: missing.yaml
          - include: a.yaml
            with: {x: 1}
    """)
    b = tmp_path / "b.yaml"
    assert problems(path) == [
        f"{path}:4:14: included file 'missing.yaml' not found (looked in {tmp_path})",
        f"{path}:6:12: included file 'a.yaml' has no parameter 'x'; its parameters: none",
        f"{b}:3:14: include cycle (routine.yaml -> a.yaml -> b.yaml -> a.yaml); remove one of the includes",
        f"{b}:4:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon",
    ]


def test_merge_keys_and_x_keys(write):
    path = write("""
        title: T
        x-hold: &hold {hold: 10s, cues: [halfway]}
        steps:
          - <<: *hold
            say: Hold.
          - <<: *hold
            hold: 20s
    """)
    first, second = load_routine(path).steps
    assert (first.ms, first.say, len(first.cues)) == (10_000, "Hold.", 1)
    assert (second.ms, second.say) == (20_000, None)  # keys written beside '<<' win


def test_check_takes_set_from_the_command_line(write, capsys):
    path = write("""
        title: T
        parameters: {hold: 3s}
        steps: [{hold: "{hold}"}]
    """)
    assert main(["check", "--engine", "fake", "--set", "hold=nope", str(path)]) == 2
    assert capsys.readouterr().err == (
        "--set hold:1:1: 'hold' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got nope\n"
    )
