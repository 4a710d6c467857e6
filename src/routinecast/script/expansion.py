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
from .items import After, Chapter, Cued, Item, Recording, Silent, Spoken, Tone, Window


def expand(routine: Routine, session_ms: int | None = None) -> list[Item]:
    """The routine's script: every item of the session in order.

    ``{session_time}`` says ``session_ms``; when it is not known yet, the time the routine declares
    (pauses, holds, breaths, head and tail) stands in for it, and :func:`tells_session_time` says
    whether the script must be made again once the real length is known.
    """
    return _Expander(routine, session_ms).run()


def tells_session_time(routine: Routine) -> bool:
    """Whether any line of the routine says ``{session_time}``, the session's real length."""
    return any("{session_time}" in text for text in _texts(routine.steps))


def _texts(steps: tuple[Step, ...]):
    for step in steps:
        if isinstance(step, Say):
            yield step.text
        elif isinstance(step, Section):
            yield step.title
        elif isinstance(step, Hold):
            yield from (text for text in (step.say, step.then, *(cue.text for cue in step.cues)) if text)
        elif isinstance(step, Repeat):
            yield from _texts(step.steps)
        elif isinstance(step, Sides):
            yield from ([step.switch] if step.switch else [])
            yield from _texts(step.steps)


def _declared_ms(steps: tuple[Step, ...]) -> int:
    total = 0
    for step in steps:
        if isinstance(step, (Pause, Hold)):
            total += step.ms
        elif isinstance(step, Breathe):
            total += (step.in_ms + step.hold_ms + step.out_ms + step.rest_ms) * step.cycles
        elif isinstance(step, Repeat):
            total += _declared_ms(step.steps) * step.times
        elif isinstance(step, Sides):
            total += _declared_ms(step.steps) * len(step.sides)
    return total


def _sections(steps: tuple[Step, ...]) -> int:
    total = 0
    for step in steps:
        if isinstance(step, Section):
            total += 1
        elif isinstance(step, Repeat):
            total += _sections(step.steps) * step.times
        elif isinstance(step, Sides):
            total += _sections(step.steps) * len(step.sides)
    return total


class _Expander:
    def __init__(self, routine: Routine, session_ms: int | None):
        self.routine = routine
        self.words: CueWords = routine.cues
        if session_ms is None:
            session_ms = _declared_ms(routine.steps) + routine.output.head_ms + routine.output.tail_ms
        self.session = {
            "session_time": self.session_time(session_ms),
            "exercises": self.words.number(_sections(routine.steps)),
        }
        """What the placeholders every line may use say, but the section's number."""
        self.exercise = 0
        """Sections begun so far: the number ``{exercise}`` says."""
        self.items: list[Item] = []
        self.problems: dict[tuple[str, int, int], Problem] = {}
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
        file = where.file or self.routine.source
        self.problems.setdefault((file, where.line, where.col), Problem(file, where.line, where.col, message))

    def session_time(self, ms: int) -> str:
        """The session's length in words: to the minute, or to the second under a minute."""
        return self.words.length(ms if ms < 59_500 else (ms + 30_000) // 60_000 * 60_000)

    def line(
        self, template: str, context: dict[str, str], where: Where, anchored: bool = False, cue: bool = False
    ) -> Spoken:
        try:
            text = template.format_map({**self.session, "exercise": self.words.number(self.exercise), **context})
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
                self.exercise += 1
                fields = {**self.session, "exercise": self.words.number(self.exercise), **context}
                self.items.append(Chapter(step.title.format_map(fields), step.where))
            elif isinstance(step, Repeat):
                for n in range(1, step.times + 1):
                    which = self.words.last_round if n == step.times else self.words.round_name
                    this_round = which.format(n=self.words.number(n))
                    rounds = {"round": str(n), "rounds": str(step.times), "this_round": this_round}
                    self.walk(step.steps, {**context, **rounds})
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
                self.items.append(self.bell(step))
            elif isinstance(step, Sound):
                self.items.append(Recording(step))

    def hold(self, step: Hold, context: dict[str, str]) -> None:
        context = {**context, "hold_time": self.words.length(step.ms)}
        if step.say:
            self.items.append(self.line(step.say, context, step.where))
        # A cue placed after another belongs with it: runs of them are kept together, in the order
        # written, and the runs are put in order of their offsets.
        runs: list[list[tuple[int | After, Cued]]] = []
        for cue in step.cues:
            placed = self.hold_cue(cue, step.ms, context)
            if cue.kind == "after" and runs:
                runs[-1].extend(placed)
            else:
                runs.append(placed)
        runs.sort(key=lambda run: run[0][0] if isinstance(run[0][0], int) else 0)
        cues = tuple(pair for run in runs for pair in run)
        label = f"{format_ms(step.ms)} hold"
        self.items.append(Window("hold", step.ms, cues, step.where, label, attached=bool(step.say)))
        if step.then:
            self.items.append(self.line(step.then, context, step.where, anchored=True))

    def hold_cue(self, cue: Cue, hold_ms: int, context: dict[str, str]) -> list[tuple[int | After, Cued]]:
        words = self.words
        if cue.kind == "halfway":
            return [(hold_ms // 2, self.line(cue.text or words.halfway, context, cue.where, cue=not cue.text))]
        if cue.kind == "remaining":
            template = words.remaining_one if cue.value == 1 else words.remaining
            text = self.line(template, {**context, "n": words.number(cue.value)}, cue.where, cue=True)
            return [(hold_ms - cue.value * 1000, text)]
        if cue.kind == "countdown":
            return [
                (hold_ms - k * 1000, self.line(words.number(k), context, cue.where, cue=True))
                for k in range(cue.value, 0, -1)
            ]
        place = After(cue.value) if cue.kind == "after" else cue.value
        if isinstance(cue.sound, Bell):
            return [(place, self.bell(cue.sound))]
        if isinstance(cue.sound, Sound):
            return [(place, Recording(cue.sound))]
        return [(place, self.line(cue.text or "", context, cue.where))]

    def bell(self, bell: Bell) -> Tone:
        return Tone(f"bell-{bell.preset}", BELLS[bell.preset].ring_ms, bell.gain_db, bell.where)

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
