"""Expand a routine into its script: a flat list of what happens, in order, untimed.

Repeats and sides are unrolled, placeholders filled, the lexicon applied, and
holds and breaths turned into windows with cues at exact offsets. How long a
spoken line lasts is not known yet; ``timeline.layout`` places the items once
the engine has spoken them.
"""

from __future__ import annotations

from ..errors import Problem, RoutineError
from ..model import (
    BELLS,
    Bell,
    Breathe,
    Cue,
    CueWords,
    Hold,
    Pause,
    Repeat,
    Routine,
    Say,
    Section,
    Sides,
    Sound,
    Step,
    Where,
)
from ..read.lexicon import for_engine, respell
from ..read.text import MAX_SESSION_SPOKEN, MAX_SPOKEN
from ..units import format_ms
from .items import Chapter, Item, Recording, Silent, Spoken, Tone, Window


def expand(routine: Routine) -> list[Item]:
    """The routine's script: every item of the session in order."""
    return _Expander(routine).run()


class _Expander:
    def __init__(self, routine: Routine):
        self.routine = routine
        self.words: CueWords = routine.cues
        self.items: list[Item] = []
        self.problems: dict[tuple[int, int], Problem] = {}
        """Problems found so far by place, the first at each: rounds repeat a line with other values."""
        self.respelled: dict[tuple[bool, str], str] = {}
        """Each distinct line (and whether the cue voice says it) after the lexicon: repeats respell once."""
        cue_voice = routine.cues.voice or routine.voice
        self.lexicon = for_engine(routine.lexicon, routine.voice.engine)
        """The respellings for the narrator's engine."""
        self.cue_lexicon = for_engine(routine.lexicon, cue_voice.engine or routine.voice.engine)
        """The respellings for the cue voice's engine."""
        self.spoken_chars = 0
        """Characters given to the engine so far, every repeat counted."""

    def run(self) -> list[Item]:
        self.walk(self.routine.steps, {})
        if self.problems:
            raise RoutineError(list(self.problems.values()))
        return self.items

    def fail(self, where: Where, message: str) -> None:
        self.problems.setdefault((where.line, where.col), Problem(self.routine.source, where.line, where.col, message))

    def line(
        self, template: str, context: dict[str, str], where: Where, anchored: bool = False, cue: bool = False
    ) -> Spoken:
        try:
            text = template.format_map(context)
        except KeyError as exc:
            self.fail(where, f"cue words use {{{exc.args[0]}}}, which has no value here; remove it from 'cues'")
            text = template
        text = text[:1].upper() + text[1:]
        # Placeholders and respellings can lengthen a line; the engine never gets more than MAX_SPOKEN.
        cue = cue and self.routine.cues.voice is not None
        lexicon = self.cue_lexicon if cue else self.lexicon
        spoken = self.respelled.get((cue, text))
        if spoken is None and len(text) <= MAX_SPOKEN:
            spoken = self.respelled.setdefault((cue, text), respell(text, lexicon))
        if spoken is None or len(spoken) > MAX_SPOKEN:
            self.fail(
                where,
                f"line is {len(spoken or text)} characters long once placeholders are filled and the lexicon "
                f"applied, over the limit of {MAX_SPOKEN}; shorten it or split it into several",
            )
        self.spoken_chars += len(spoken or text)
        if self.spoken_chars > MAX_SESSION_SPOKEN:  # stop expanding: the rest would only add to it
            self.fail(
                where,
                f"the session speaks over {MAX_SESSION_SPOKEN} characters by this line, more than 12 hours "
                "of speech; shorten lines or reduce repeats",
            )
            raise RoutineError(list(self.problems.values()))
        return Spoken(text, spoken or "", where, anchored, cue)

    def walk(self, steps: tuple[Step, ...], context: dict[str, str]) -> None:
        for step in steps:
            if isinstance(step, Say):
                self.items.append(self.line(step.text, context, step.where))
            elif isinstance(step, Pause):
                self.items.append(Silent(step.ms, step.where))
            elif isinstance(step, Section):
                self.items.append(Chapter(step.title.format_map(context), step.where))
            elif isinstance(step, Repeat):
                for n in range(1, step.times + 1):
                    self.walk(step.steps, {**context, "round": str(n), "rounds": str(step.times)})
            elif isinstance(step, Sides):
                for index, side in enumerate(step.sides):
                    inner = {**context, "side": side}
                    if index and step.switch:
                        self.items.append(self.line(step.switch, inner, step.where))
                    self.walk(step.steps, inner)
            elif isinstance(step, Hold):
                self.hold(step, context)
            elif isinstance(step, Breathe):
                self.breathe(step, context)
            elif isinstance(step, Bell):
                self.items.append(Tone(f"bell-{step.preset}", BELLS[step.preset].ring_ms, step.gain_db, step.where))
            elif isinstance(step, Sound):
                self.items.append(Recording(step))

    def hold(self, step: Hold, context: dict[str, str]) -> None:
        if step.say:
            self.items.append(self.line(step.say, context, step.where))
        cues: list[tuple[int, Spoken | Tone]] = []
        for cue in step.cues:
            cues.extend(self.hold_cue(cue, step.ms, context))
        cues.sort(key=lambda pair: pair[0])
        label = f"{format_ms(step.ms)} hold"
        self.items.append(Window("hold", step.ms, tuple(cues), step.where, label, attached=bool(step.say)))
        if step.then:
            self.items.append(self.line(step.then, context, step.where, anchored=True))

    def hold_cue(self, cue: Cue, hold_ms: int, context: dict[str, str]) -> list[tuple[int, Spoken]]:
        words = self.words
        if cue.kind == "halfway":
            return [(hold_ms // 2, self.line(words.halfway, context, cue.where, cue=True))]
        if cue.kind == "remaining":
            template = words.remaining_one if cue.value == 1 else words.remaining
            text = self.line(template, {**context, "n": words.number(cue.value)}, cue.where, cue=True)
            return [(hold_ms - cue.value * 1000, text)]
        if cue.kind == "countdown":
            return [
                (hold_ms - k * 1000, self.line(words.number(k), context, cue.where, cue=True))
                for k in range(cue.value, 0, -1)
            ]
        return [(cue.value, self.line(cue.text or "", context, cue.where))]

    def breathe(self, step: Breathe, context: dict[str, str]) -> None:
        phases = (
            ("in", step.in_ms, self.words.breathe_in, "rise"),
            ("hold_in", step.hold_ms, self.words.hold, None),
            ("out", step.out_ms, self.words.breathe_out, "fall"),
            ("rest", step.rest_ms, None, None),
        )
        names = {"in": "in-breath", "hold_in": "breath hold", "out": "out-breath", "rest": "rest"}
        for cycle in range(1, step.cycles + 1):
            for kind, ms, word, tone in phases:
                if not ms:
                    continue
                cues: list[tuple[int, Spoken | Tone]] = []
                if step.cue == "tone" and tone:
                    # The tone fills most of the phase, leaving a breath of quiet before the next.
                    cues.append((0, Tone(tone, ms * 9 // 10, 0.0, step.where)))
                elif step.cue != "tone" and word:
                    cues.append((0, self.line(word, context, step.where, cue=True)))
                    if step.cue == "count":
                        cues.extend(
                            (second * 1000, self.line(self.words.number(second + 1), context, step.where, cue=True))
                            for second in range(1, (ms - 1) // 1000 + 1)
                        )
                label = f"{names[kind]} {cycle} of {step.cycles}"
                self.items.append(Window(kind, ms, tuple(cues), step.where, label))
