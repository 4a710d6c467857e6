"""The bound on how many parts a session has once its repeats, sides and breath cycles are unrolled.

The 12-hour limit bounds time, not count: a 1ms pause inside two nested
repeats is a few bytes of YAML and tens of millions of items for the script
and the timeline to hold, minutes of work and gigabytes before anything is
heard. Counting the parts first, without unrolling, keeps every check fast.
"""

from __future__ import annotations

from ..model import Breathe, Hold, Repeat, Sides, Step

MAX_SPOKEN_LINES = 20_000
"""Most lines a session may speak, every repeat counted."""
MAX_PARTS = 50_000
"""Most parts (steps, breath phases and cues, each time it runs) a session may have.

A real routine has a few hundred; twelve hours of a line and a pause every two
seconds is about 43,000. Checking a routine at the limit takes about 1.5 s.
"""


def unrolled_parts(steps: tuple[Step, ...], weight: int = 1) -> int:
    """How many parts ``steps`` have when run ``weight`` times, repeats and sides unrolled."""
    total = 0
    for step in steps:
        if isinstance(step, Repeat):
            total += weight + unrolled_parts(step.steps, weight * step.times)
        elif isinstance(step, Sides):
            total += weight * len(step.sides) + unrolled_parts(step.steps, weight * len(step.sides))
        elif isinstance(step, Hold):
            said = sum(cue.value if cue.kind == "countdown" else 1 for cue in step.cues)  # one line per number
            total += weight * (1 + bool(step.say) + bool(step.then) + said)
        elif isinstance(step, Breathe):
            phases = (step.in_ms, step.hold_ms, step.out_ms, step.rest_ms)
            counted = sum((ms - 1) // 1000 for ms in phases[:3] if ms) if step.cue == "count" else 0
            total += weight * step.cycles * (2 * sum(map(bool, phases)) + counted)  # each phase and its cue
        else:
            total += weight
    return total


def too_many_parts(parts: int) -> str | None:
    """Why a session of ``parts`` parts is refused, or ``None``."""
    if parts <= MAX_PARTS:
        return None
    return (
        f"session has {parts} parts (steps, breath phases and cues, counted each time they run), "
        f"over the limit of {MAX_PARTS}; reduce repeats, sides or breath cycles"
    )
