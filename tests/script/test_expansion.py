"""Expansion: unrolled repeats and sides, placeholders, lexicon, cue offsets."""

from routinecast import load_routine
from routinecast.script.expansion import expand
from routinecast.script.items import Chapter, Silent, Spoken, Tone, Window


def test_nested_repeat_and_sides_unroll_in_order(write):
    routine = load_routine(
        write("""
        title: T
        steps:
          - repeat: 2
            steps:
              - sides: [left, right]
                switch: Other side.
                steps:
                  - say: Round {round} of {rounds}, {side} leg.
    """)
    )
    texts = [item.text for item in expand(routine)]
    assert texts == [
        "Round 1 of 2, left leg.",
        "Other side.",
        "Round 1 of 2, right leg.",
        "Round 2 of 2, left leg.",
        "Other side.",
        "Round 2 of 2, right leg.",
    ]


def test_lexicon_changes_only_what_is_spoken(write):
    routine = load_routine(
        write("""
        title: T
        lexicon: {Trochanter: TROH-can-ter, knee: nee}
        steps:
          - say: The PSOAS reaches the lesser trochanter; kneel with the knee down.
          - say: Setu   Bandha.
    """)
    )
    first, second = expand(routine)
    assert first.text == "The PSOAS reaches the lesser trochanter; kneel with the knee down."
    assert first.spoken == "The soh-us reaches the lesser TROH-can-ter; kneel with the nee down."
    assert second.spoken == "say-too bahn-dah."


def test_hold_cues_are_placed_at_exact_offsets(write):
    routine = load_routine(
        write("""
        title: T
        steps:
          - hold: 30s
            say: Hold.
            cues: [halfway, {remaining: 10}, {countdown: 3}, {at: 8s, say: Soften your jaw.}]
            then: Release.
    """)
    )
    say, window, then = expand(routine)
    assert (say.text, then.text, then.anchored) == ("Hold.", "Release.", True)
    assert isinstance(window, Window) and window.ms == 30_000 and window.attached
    assert [(offset, cue.text) for offset, cue in window.cues] == [
        (8000, "Soften your jaw."),
        (15000, "Halfway."),
        (20000, "Ten seconds left."),
        (27000, "Three"),
        (28000, "Two"),
        (29000, "One"),
    ]


def test_breathing_phases_and_cue_styles(write):
    routine = load_routine(
        write("""
        title: T
        cues: {breathe_in: Inhale, numbers: [un, deux, trois, quatre]}
        steps:
          - breathe: {in: 4, hold: 2, out: 5.5, rest: 1, cycles: 2, cue: count}
          - breathe: {in: 3, out: 3, cue: tone}
    """)
    )
    items = expand(routine)
    assert [(w.kind, w.ms) for w in items] == [
        ("in", 4000),
        ("hold_in", 2000),
        ("out", 5500),
        ("rest", 1000),
        ("in", 4000),
        ("hold_in", 2000),
        ("out", 5500),
        ("rest", 1000),
        ("in", 3000),
        ("out", 3000),
    ]
    assert [(o, c.text) for o, c in items[0].cues] == [(0, "Inhale"), (1000, "Deux"), (2000, "Trois"), (3000, "Quatre")]
    assert [(o, c.text) for o, c in items[2].cues][-1] == (5000, "6")  # past the number words: digits
    assert items[3].cues == ()
    tone_in, tone_out = items[8].cues[0][1], items[9].cues[0][1]
    assert isinstance(tone_in, Tone) and (tone_in.name, tone_in.ms) == ("rise", 2700)
    assert (tone_out.name, tone_out.ms) == ("fall", 2700)


def test_sections_pauses_and_bells(write):
    routine = load_routine(
        write("""
        title: T
        steps:
          - repeat: 2
            steps:
              - section: Part {round} of {rounds}
              - pause: 2s
          - bell: soft
        """)
    )
    first, pause, second, _, bell = expand(routine)
    assert isinstance(first, Chapter) and first.title == "Part 1 of 2"
    assert isinstance(second, Chapter) and second.title == "Part 2 of 2"
    assert isinstance(pause, Silent) and pause.ms == 2000
    assert isinstance(bell, Tone) and (bell.name, bell.ms) == ("bell-soft", 3000)


def test_spoken_text_keys_are_shared(write):
    routine = load_routine(
        write("""
        title: T
        steps:
          - repeat: 3
            steps:
              - hold: 5s
                cues: [{countdown: 3}]
    """)
    )
    spoken = {cue.spoken for item in expand(routine) for _, cue in item.cues if isinstance(cue, Spoken)}
    assert spoken == {"Three", "Two", "One"}
