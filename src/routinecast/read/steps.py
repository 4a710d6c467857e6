"""Validators for the steps of a routine: one reader per step kind, each failure a located problem."""

from __future__ import annotations

import difflib

import yaml

from ..model import Bell, Breathe, Cue, Hold, Pause, Repeat, Say, Section, Sides, Step
from .cues import CueReader
from .document import Document, cut
from .fields import shown
from .text import MAX_FILL, MAX_TITLE

BREATH_CUES = ("words", "count", "tone")
SESSION_FIELDS = frozenset({"session_time", "exercise", "exercises"})
"""Placeholders every spoken line may use: the session's length, the section's number and their count."""
STEP_KINDS = ("say", "pause", "section", "repeat", "sides", "hold", "breathe", "bell", "sound")
STEP_KEYS = {
    "say": ("say",),
    "pause": ("pause",),
    "section": ("section",),
    "repeat": ("repeat", "steps"),
    "sides": ("sides", "switch", "steps"),
    "hold": ("hold", "say", "cues", "then"),
    "breathe": ("breathe",),
    "bell": ("bell",),
    "sound": ("sound", "gain"),
}
BREATHE_KEYS = ("in", "hold", "out", "rest", "cycles", "cue")


class StepReader(CueReader):
    """Reads step lists into model steps, and totals what they declare for the session-length guards.

    ``weight`` is how many times a step runs (the product of the repeats and
    sides around it), so the totals count every time a step is heard.
    """

    def __init__(self, document: Document):
        super().__init__(document)
        self.composing_failed = False
        """True when blocks or includes could not be used: a list of steps they leave empty is no news."""
        self.declared_ms = 0
        """Declared time of pauses, holds and breaths, weighted by the repeats and sides around them."""
        self.spoken_lines = 0
        """Lines spoken, weighted likewise."""
        self._readers = {
            "say": self.step_say,
            "pause": self.step_pause,
            "section": self.step_section,
            "repeat": self.step_repeat,
            "sides": self.step_sides,
            "hold": self.step_hold,
            "breathe": self.step_breathe,
            "bell": self.step_bell,
            "sound": self.step_sound,
        }

    def steps(self, node: yaml.Node, path: str, fields: frozenset[str], weight: int) -> tuple[Step, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{path}' must be a list of steps")
            return ()
        if not node.value:
            if not self.composing_failed:  # else its steps were blocks or includes already reported
                self.fail(node, f"'{path}' is empty; add at least one step")
            return ()
        out = []
        for index, item in enumerate(node.value):
            step = self.step(item, f"{path}[{index}]", fields, weight)
            if step is not None:
                out.append(step)
        return tuple(out)

    def step(self, node: yaml.Node, path: str, fields: frozenset[str], weight: int) -> Step | None:
        where = self.where(node, path)
        if isinstance(node, yaml.ScalarNode) and node.value == "bell":
            return Bell("start", 0.0, where)
        if not isinstance(node, yaml.MappingNode):
            hint = difflib.get_close_matches(node.value, STEP_KINDS, n=1) if isinstance(node, yaml.ScalarNode) else []
            tip = f"; did you mean '{hint[0]}'?" if hint else ""
            self.fail(node, f"step must be a mapping such as 'say: ...' or 'pause: 5s'; got {shown(node)}{tip}")
            return None
        names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if not names:  # {}, or keys that are lists or mappings
            self.fail(node, f"step has no kind; a step is one of: {', '.join(STEP_KINDS)}")
            return None
        kinds = [n for n in names if n in STEP_KINDS]
        if "hold" in names:
            kind = "hold"
        elif len(kinds) == 1:
            kind = kinds[0]
        elif not kinds:
            hint = difflib.get_close_matches(names[0], STEP_KINDS, n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else f"; a step is one of: {', '.join(STEP_KINDS)}"
            first = next(k for k, _ in node.value if isinstance(k, yaml.ScalarNode))
            self.fail(first, f"unknown step kind '{cut(names[0])}'{tip}")
            return None
        else:
            self.fail(node, f"step has both '{kinds[0]}' and '{kinds[1]}'; split it into two steps")
            return None
        keys = self.mapping(node, f"'{kind}' step", STEP_KEYS[kind])
        if keys is None:
            return None
        return self._readers[kind](keys, where, fields, weight)

    def step_say(self, keys, where, fields, weight) -> Step | None:
        text = self.spoken(keys["say"][1], "say", fields)
        self.spoken_lines += weight
        return Say(text, where) if text else None

    def step_pause(self, keys, where, fields, weight) -> Step | None:
        ms = self.duration(keys["pause"][1], "pause")
        if ms is None:
            return None
        self.declared_ms += ms * weight
        return Pause(ms, where)

    def step_section(self, keys, where, fields, weight) -> Step | None:
        title = self.label(keys["section"][1], "section", MAX_TITLE, fields)
        return Section(title, where) if title else None

    def step_repeat(self, keys, where, fields, weight) -> Step | None:
        times = self.integer(keys["repeat"][1], "repeat", 1, 10_000)
        if "steps" not in keys:
            self.fail(keys["repeat"][0], "'repeat' needs 'steps', the steps of one round")
            return None
        inner_fields = fields | {"round", "rounds", "this_round"}
        inner = self.steps(keys["steps"][1], f"{where.path}.steps", inner_fields, weight * (times or 1))
        return Repeat(times, inner, where) if times and inner else None

    def step_sides(self, keys, where, fields, weight) -> Step | None:
        seq = keys["sides"][1]
        sides: tuple[str, ...] = ()
        if not isinstance(seq, yaml.SequenceNode) or not seq.value:
            self.fail(seq, "'sides' must be a list of side names such as [left, right]")
        else:
            names = [self.spoken(item, "sides item", limit=MAX_FILL) for item in seq.value]
            sides = tuple(n for n in names if n)
            if len(sides) != len(names):
                sides = ()
        inner_fields = fields | {"side"}
        switch = self.spoken(keys["switch"][1], "switch", inner_fields) if "switch" in keys else None
        if "steps" not in keys:
            self.fail(keys["sides"][0], "'sides' needs 'steps', the steps for one side")
            return None
        inner = self.steps(keys["steps"][1], f"{where.path}.steps", inner_fields, weight * max(len(sides), 1))
        if switch:
            self.spoken_lines += weight * max(len(sides) - 1, 0)
        return Sides(sides, switch, inner, where) if sides and inner else None

    def step_hold(self, keys, where, fields, weight) -> Step | None:
        ms = self.duration(keys["hold"][1], "hold")
        fields = fields | {"hold_time"}
        say = self.spoken(keys["say"][1], "say", fields) if "say" in keys else None
        then = self.spoken(keys["then"][1], "then", fields) if "then" in keys else None
        cues: list[Cue] = []
        if "cues" in keys:
            cues = self.hold_cues(keys["cues"][1], where, fields, ms)
        if ms is None:
            return None
        self.declared_ms += ms * weight
        self.spoken_lines += weight * (bool(say) + bool(then) + len(cues))
        return Hold(ms, say, tuple(cues), then, where)

    def step_breathe(self, keys, where, fields, weight) -> Step | None:
        node = keys["breathe"][1]
        parts = self.mapping(node, "breathe", BREATHE_KEYS)
        if parts is None:
            return None
        for required in ("in", "out"):
            if required not in parts:
                self.fail(node, f"'breathe' needs '{required}', the seconds of each {required}-breath")
        values = {}
        for name in ("in", "out", "hold", "rest"):
            if name in parts:
                values[name] = self.duration(parts[name][1], f"breathe.{name}", allow_zero=name in ("hold", "rest"))
        cycles = self.integer(parts["cycles"][1], "breathe.cycles", 1, 1000) if "cycles" in parts else 1
        cue = "words"
        if "cue" in parts:
            cue = self.text(parts["cue"][1], "breathe.cue")
            if cue and cue not in BREATH_CUES:
                self.fail(parts["cue"][1], f"'breathe.cue' must be words, count or tone; got '{cue}'")
                cue = None
        if None in values.values() or "in" not in values or "out" not in values or not cycles or not cue:
            return None
        one = values["in"] + values.get("hold", 0) + values["out"] + values.get("rest", 0)
        self.declared_ms += one * cycles * weight
        return Breathe(values["in"], values.get("hold", 0), values["out"], values.get("rest", 0), cycles, cue, where)

    def step_bell(self, keys, where, fields, weight) -> Step | None:
        return self.bell(keys["bell"][1], where)

    def step_sound(self, keys, where, fields, weight) -> Step | None:
        return self.sound(keys["sound"][1], keys["gain"][1] if "gain" in keys else None, where)
