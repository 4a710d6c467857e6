"""Validate a parsed routine file into the typed model, reporting every problem at once."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Callable

import yaml

from . import lexicon as lexicon_module
from .errors import RoutineError
from .model import (
    Background, Bell, Breathe, Cue, CueWords, Hold, Output, Pause, Repeat, Routine, Say, Section,
    Sides, Sound, Step, Tags, Voice, Where,
)
from .fields import Fields, _shown
from .source import Source, read_source
from .units import format_ms

MAX_SESSION_MS = 12 * 3_600_000
MAX_SPOKEN_LINES = 20_000
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
MPEG1_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MPEG2_BITRATES = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
BELL_PRESETS = ("start", "end", "soft")
BREATH_CUES = ("words", "count", "tone")
STEP_KINDS = ("say", "pause", "section", "repeat", "sides", "hold", "breathe", "bell", "sound")
_STEP_KEYS = {
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
_TOP_KEYS = ("title", "description", "author", "voice", "lexicon", "output", "cues", "background", "tags", "cover", "steps")
_BACKGROUND_KEYS = ("noise", "file", "level", "duck", "fade")
_TAG_KEYS = ("track", "disc", "year", "genre")
NOISES = ("brown", "pink", "white")
_VOICE_KEYS = ("name", "rate", "volume", "gap")
_OUTPUT_KEYS = ("format", "sample_rate", "bitrate", "head", "tail", "album", "loudness")
_BREATHE_KEYS = ("in", "hold", "out", "rest", "cycles", "cue")
_CUE_WORD_KEYS = ("halfway", "remaining", "remaining_one", "breathe_in", "hold", "breathe_out", "numbers")


def load_routine(path: str | Path) -> Routine:
    """Read, parse and validate a routine file; raise :class:`RoutineError` listing every problem."""
    return _Validator(read_source(path)).routine()


class _Validator(Fields):
    def __init__(self, source: Source):
        super().__init__(source)
        # Totals for the session-length guard, weighted by enclosing repeats and sides.
        self.declared_ms = 0
        self.spoken_lines = 0

    # -- the routine ---------------------------------------------------------------------

    def routine(self) -> Routine:
        root = self.src.root
        keys = self.mapping(root, "routine", _TOP_KEYS)
        if keys is None:
            raise RoutineError(self.problems)
        for required in ("title", "steps"):
            if required not in keys:
                self.fail(root, f"missing required key '{required}'")
        title = self.text(keys["title"][1], "title") if "title" in keys else None
        description = self.text(keys["description"][1], "description") if "description" in keys else None
        author = self.text(keys["author"][1], "author") if "author" in keys else None
        voice = self.voice(keys["voice"][1]) if "voice" in keys else Voice()
        own_lexicon = self.lexicon(keys["lexicon"][1]) if "lexicon" in keys else {}
        output = self.output(keys["output"][1]) if "output" in keys else Output()
        cues = self.cue_words(keys["cues"][1]) if "cues" in keys else CueWords()
        background = self.background(keys["background"][1]) if "background" in keys else None
        tags = self.tags(keys["tags"][1]) if "tags" in keys else Tags()
        cover = self.file(keys["cover"][1], "cover", (".png", ".jpg", ".jpeg")) if "cover" in keys else None
        steps: tuple[Step, ...] = ()
        if "steps" in keys:
            steps_key, steps_node = keys["steps"]
            steps = self.steps(steps_node, "steps", frozenset(), 1)
            total = self.declared_ms + (output.head_ms + output.tail_ms if output else 0)
            if total > MAX_SESSION_MS:
                self.fail(steps_key, f"session is at least {format_ms(total)} long, over the 12-hour limit; shorten pauses, holds or repeats")
            elif self.spoken_lines > MAX_SPOKEN_LINES:
                self.fail(steps_key, f"session speaks {self.spoken_lines} lines, over the limit of {MAX_SPOKEN_LINES}; reduce repeats")
        if self.problems:
            raise RoutineError(sorted(self.problems, key=lambda p: (p.line, p.col)))
        return Routine(
            title=title, steps=steps, source=self.src.name, description=description, author=author,
            voice=voice, lexicon=lexicon_module.merge(own_lexicon), output=output, cues=cues,
            background=background, tags=tags, cover=cover,
        )

    def voice(self, node: yaml.Node) -> Voice:
        keys = self.mapping(node, "voice", _VOICE_KEYS) or {}
        values: dict[str, Any] = {}
        if "name" in keys:
            name_node = keys["name"][1]
            values["name"] = self.text(name_node, "voice.name")
            values["where"] = Where("voice.name", name_node.start_mark.line + 1, name_node.start_mark.column + 1)
        if "rate" in keys:
            values["rate"] = self.integer(keys["rate"][1], "voice.rate", 80, 450)
        if "volume" in keys:
            values["volume"] = self.number(keys["volume"][1], "voice.volume", 0.0, 1.0)
        if "gap" in keys:
            values["gap_ms"] = self.duration(keys["gap"][1], "voice.gap", allow_zero=True)
        return Voice(**{k: v for k, v in values.items() if v is not None})

    def lexicon(self, node: yaml.Node) -> dict[str, str]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "lexicon must be a mapping of words to respellings")
            return {}
        out = {}
        for key, value in node.value:
            word = self.text(key, "lexicon word")
            spoken = self.text(value, f"lexicon.{key.value}")
            if word and spoken:
                out[word] = spoken
        return out

    def output(self, node: yaml.Node) -> Output:
        keys = self.mapping(node, "output", _OUTPUT_KEYS) or {}
        values: dict[str, Any] = {}
        if "format" in keys:
            fmt = self.text(keys["format"][1], "output.format")
            if fmt and fmt.lower() not in ("mp3", "wav"):
                self.fail(keys["format"][1], f"'output.format' must be mp3 or wav; got '{fmt}'")
            elif fmt:
                values["format"] = fmt.lower()
        if "sample_rate" in keys:
            rate = self.integer(keys["sample_rate"][1], "output.sample_rate", 8000, 48000)
            if rate is not None and rate not in MP3_RATES:
                self.fail(keys["sample_rate"][1], f"'output.sample_rate' must be one of {', '.join(map(str, MP3_RATES))}; got {rate}")
            elif rate is not None:
                values["sample_rate"] = rate
        if "bitrate" in keys:
            node_b = keys["bitrate"][1]
            rate = values.get("sample_rate", Output.sample_rate)
            allowed = MPEG1_BITRATES if rate >= 32000 else MPEG2_BITRATES
            bitrate = self.integer(node_b, "output.bitrate", 8, 320)
            if bitrate is not None and bitrate not in allowed:
                self.fail(node_b, f"'output.bitrate' at {rate} Hz must be one of {', '.join(map(str, allowed))}; got {bitrate}")
            elif bitrate is not None:
                values["bitrate"] = bitrate
        for name in ("head", "tail"):
            if name in keys:
                values[f"{name}_ms"] = self.duration(keys[name][1], f"output.{name}", allow_zero=True)
        if "album" in keys:
            values["album"] = self.text(keys["album"][1], "output.album")
        if "loudness" in keys:
            values["loudness"] = self.number(keys["loudness"][1], "output.loudness", -36.0, -6.0)
        return Output(**{k: v for k, v in values.items() if v is not None})

    def background(self, node: yaml.Node) -> Background | None:
        keys = self.mapping(node, "background", _BACKGROUND_KEYS)
        if keys is None:
            return None
        values: dict[str, Any] = {}
        failed = len(self.problems)
        if "noise" in keys and "file" in keys:
            self.fail(keys["file"][0], "background takes 'noise' or 'file', not both")
        if "noise" in keys:
            noise = self.text(keys["noise"][1], "background.noise")
            if noise and noise not in NOISES:
                self.fail(keys["noise"][1], f"'background.noise' must be brown, pink or white; got '{noise}'")
            values["noise"] = noise
        if "file" in keys:
            values["file"] = self.file(keys["file"][1], "background.file", (".wav", ".flac", ".ogg", ".mp3"))
            values["noise"] = None
        for name, low, high in (("level", -60, 0), ("duck", 0, 40)):
            if name in keys:
                value = self.db(keys[name][1], f"background.{name}")
                if value is not None and not low <= value <= high:
                    self.fail(keys[name][1], f"'background.{name}' must be between {low}dB and {high}dB; got {_shown(keys[name][1])}")
                values[f"{name}_db"] = value
        if "fade" in keys:
            values["fade_ms"] = self.duration(keys["fade"][1], "background.fade", allow_zero=True)
        if len(self.problems) > failed:
            return None
        return Background(**values)

    def tags(self, node: yaml.Node) -> Tags:
        keys = self.mapping(node, "tags", _TAG_KEYS) or {}
        values: dict[str, Any] = {}
        for name in ("track", "disc"):
            if name in keys:
                text = self.text(keys[name][1], f"tags.{name}")
                if text and not re.fullmatch(r"\d+(/\d+)?", text):
                    self.fail(keys[name][1], f"'tags.{name}' must be a number like 3 or 3/12; got '{text}'")
                else:
                    values[name] = text
        if "year" in keys:
            values["year"] = self.integer(keys["year"][1], "tags.year", 1000, 9999)
        if "genre" in keys:
            values["genre"] = self.text(keys["genre"][1], "tags.genre")
        return Tags(**{k: v for k, v in values.items() if v is not None})

    def cue_words(self, node: yaml.Node) -> CueWords:
        keys = self.mapping(node, "cues", _CUE_WORD_KEYS) or {}
        fields = frozenset({"side", "round", "rounds"})
        values: dict[str, Any] = {}
        for name in _CUE_WORD_KEYS[:-1]:
            if name in keys:
                extra = frozenset({"n"}) if name.startswith("remaining") else frozenset()
                values[name] = self.text(keys[name][1], f"cues.{name}", fields | extra)
        if "numbers" in keys:
            seq = keys["numbers"][1]
            if not isinstance(seq, yaml.SequenceNode) or not seq.value:
                self.fail(seq, "'cues.numbers' must be a list of number words, starting at one")
            else:
                words = [self.text(item, "cues.numbers item") for item in seq.value]
                if all(words):
                    values["numbers"] = tuple(words)
        return CueWords(**{k: v for k, v in values.items() if v is not None})

    # -- steps ---------------------------------------------------------------------------

    def steps(self, node: yaml.Node, path: str, fields: frozenset[str], weight: int) -> tuple[Step, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{path}' must be a list of steps")
            return ()
        if not node.value:
            self.fail(node, f"'{path}' is empty; add at least one step")
            return ()
        out = []
        for index, item in enumerate(node.value):
            step = self.step(item, f"{path}[{index}]", fields, weight)
            if step is not None:
                out.append(step)
        return tuple(out)

    def step(self, node: yaml.Node, path: str, fields: frozenset[str], weight: int) -> Step | None:
        where = Where(path, node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode) and node.value == "bell":
            return Bell("start", 0.0, where)
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"step must be a mapping such as 'say: ...' or 'pause: 5s'; got {_shown(node)}")
            return None
        names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        kinds = [n for n in names if n in STEP_KINDS]
        if "hold" in names:
            kind = "hold"
        elif len(kinds) == 1:
            kind = kinds[0]
        elif not kinds:
            first = node.value[0][0] if node.value else node
            hint = difflib.get_close_matches(str(names[0]) if names else "", STEP_KINDS, n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else f"; a step is one of: {', '.join(STEP_KINDS)}"
            self.fail(first, f"unknown step kind '{names[0] if names else ''}'{tip}")
            return None
        else:
            self.fail(node, f"step has both '{kinds[0]}' and '{kinds[1]}'; split it into two steps")
            return None
        keys = self.mapping(node, f"'{kind}' step", _STEP_KEYS[kind])
        if keys is None:
            return None
        handler: Callable[..., Step | None] = getattr(self, f"step_{kind}")
        return handler(keys, where, fields, weight)

    def step_say(self, keys, where, fields, weight) -> Step | None:
        text = self.text(keys["say"][1], "say", fields)
        self.spoken_lines += weight
        return Say(text, where) if text else None

    def step_pause(self, keys, where, fields, weight) -> Step | None:
        ms = self.duration(keys["pause"][1], "pause")
        if ms is None:
            return None
        self.declared_ms += ms * weight
        return Pause(ms, where)

    def step_section(self, keys, where, fields, weight) -> Step | None:
        title = self.text(keys["section"][1], "section", fields)
        return Section(title, where) if title else None

    def step_repeat(self, keys, where, fields, weight) -> Step | None:
        times = self.integer(keys["repeat"][1], "repeat", 1, 10_000)
        if "steps" not in keys:
            self.fail(keys["repeat"][0], "'repeat' needs 'steps', the steps of one round")
            return None
        inner = self.steps(keys["steps"][1], f"{where.path}.steps", fields | {"round", "rounds"}, weight * (times or 1))
        return Repeat(times, inner, where) if times and inner else None

    def step_sides(self, keys, where, fields, weight) -> Step | None:
        seq = keys["sides"][1]
        sides: tuple[str, ...] = ()
        if not isinstance(seq, yaml.SequenceNode) or not seq.value:
            self.fail(seq, "'sides' must be a list of side names such as [left, right]")
        else:
            names = [self.text(item, "sides item") for item in seq.value]
            sides = tuple(n for n in names if n)
            if len(sides) != len(names):
                sides = ()
        inner_fields = fields | {"side"}
        switch = self.text(keys["switch"][1], "switch", inner_fields) if "switch" in keys else None
        if "steps" not in keys:
            self.fail(keys["sides"][0], "'sides' needs 'steps', the steps for one side")
            return None
        inner = self.steps(keys["steps"][1], f"{where.path}.steps", inner_fields, weight * max(len(sides), 1))
        if switch:
            self.spoken_lines += weight * max(len(sides) - 1, 0)
        return Sides(sides, switch, inner, where) if sides and inner else None

    def step_hold(self, keys, where, fields, weight) -> Step | None:
        ms = self.duration(keys["hold"][1], "hold")
        say = self.text(keys["say"][1], "say", fields) if "say" in keys else None
        then = self.text(keys["then"][1], "then", fields) if "then" in keys else None
        cues: list[Cue] = []
        if "cues" in keys:
            cues = self.hold_cues(keys["cues"][1], where, fields, ms)
        if ms is None:
            return None
        self.declared_ms += ms * weight
        self.spoken_lines += weight * (bool(say) + bool(then) + len(cues))
        return Hold(ms, say, tuple(cues), then, where)

    def hold_cues(self, node, where, fields, hold_ms) -> list[Cue]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "'cues' must be a list such as [halfway, {remaining: 10}, {countdown: 3}]")
            return []
        cues = []
        for index, item in enumerate(node.value):
            cue_where = Where(f"{where.path}.cues[{index}]", item.start_mark.line + 1, item.start_mark.column + 1)
            cue = self.hold_cue(item, cue_where, fields, hold_ms)
            if cue:
                cues.append(cue)
        return cues

    def hold_cue(self, item, where, fields, hold_ms) -> Cue | None:
        hold_text = format_ms(hold_ms) if hold_ms else ""
        if isinstance(item, yaml.ScalarNode) and item.value == "halfway":
            return Cue("halfway", 0, None, where)
        keys = self.mapping(item, "cue", ("remaining", "countdown", "at", "say")) if isinstance(item, yaml.MappingNode) else None
        if keys is None:
            if not isinstance(item, yaml.MappingNode):
                self.fail(item, f"unknown cue {_shown(item)}; a cue is halfway, {{remaining: N}}, {{countdown: N}} or {{at: 8s, say: ...}}")
            return None
        for kind in ("remaining", "countdown"):
            if kind in keys:
                seconds = self.integer(keys[kind][1], kind, 1, 3600)
                if seconds is None:
                    return None
                # "remaining: N" speaks N s before the end, so it needs N s < hold; a countdown
                # may start right at the opening of the hold.
                limit = seconds * 1000 + (kind == "remaining")
                if hold_ms is not None and limit > hold_ms:
                    self.fail(keys[kind][1], f"'{kind}: {seconds}' does not fit in the {hold_text} hold; use a smaller number or a longer hold")
                    return None
                return Cue(kind, seconds, None, where)
        if "at" in keys:
            offset = self.duration(keys["at"][1], "at", allow_zero=True)
            text = self.text(keys["say"][1], "say", fields) if "say" in keys else None
            if "say" not in keys:
                self.fail(keys["at"][0], "cue 'at' needs 'say', the words to speak")
            if offset is not None and hold_ms is not None and offset >= hold_ms:
                self.fail(keys["at"][1], f"cue at {format_ms(offset)} is beyond the end of the {hold_text} hold; use an offset below {format_ms(hold_ms)}")
                return None
            return Cue("at", offset, text, where) if offset is not None and text else None
        self.fail(item, "cue needs one of: remaining, countdown, at")
        return None

    def step_breathe(self, keys, where, fields, weight) -> Step | None:
        node = keys["breathe"][1]
        parts = self.mapping(node, "breathe", _BREATHE_KEYS)
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
        node = keys["bell"][1]
        if isinstance(node, yaml.ScalarNode):
            preset = self.src.scalar(node) or "start"
            if preset not in BELL_PRESETS:
                self.fail(node, f"bell preset must be one of {', '.join(BELL_PRESETS)}; got {_shown(node)}")
                return None
            return Bell(preset, 0.0, where)
        parts = self.mapping(node, "bell", ("preset", "gain"))
        if parts is None:
            return None
        preset = "start"
        if "preset" in parts:
            preset = self.src.scalar(parts["preset"][1]) if isinstance(parts["preset"][1], yaml.ScalarNode) else None
            if preset not in BELL_PRESETS:
                self.fail(parts["preset"][1], f"bell preset must be one of {', '.join(BELL_PRESETS)}; got {_shown(parts['preset'][1])}")
                return None
        gain = self.db(parts["gain"][1], "bell.gain") if "gain" in parts else 0.0
        return Bell(preset, gain, where) if gain is not None else None

    def step_sound(self, keys, where, fields, weight) -> Step | None:
        path = self.file(keys["sound"][1], "sound", (".wav", ".flac", ".ogg", ".mp3"))
        gain = self.db(keys["gain"][1], "gain") if "gain" in keys else 0.0
        return Sound(path, gain, where) if path and gain is not None else None
