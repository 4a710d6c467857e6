"""Validate a parsed routine file into the typed model, reporting every problem at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .. import formats
from ..errors import RoutineError
from ..formats import IMAGE_SUFFIXES, MAX_SESSION_MS, SOUND_SUFFIXES
from ..model import Background, CueWords, Output, Routine, Step, Tags, Voice, Where
from ..options import PACE_RANGE
from ..units import format_ms
from . import lexicon as lexicon_module
from . import media
from .document import cut, read_document
from .fields import shown
from .limits import MAX_SPOKEN_LINES, too_many_parts, unrolled_parts
from .steps import StepReader
from .text import MAX_DESCRIPTION, MAX_FILL, MAX_LEXICON, MAX_LEXICON_WORD, MAX_NAME, MAX_RESPELLING, MAX_TITLE

NOISES = ("brown", "pink", "white")
_TOP_KEYS = (
    "title",
    "description",
    "author",
    "voice",
    "lexicon",
    "output",
    "cues",
    "background",
    "tags",
    "cover",
    "steps",
)
_BACKGROUND_KEYS = ("noise", "file", "level", "duck", "fade")
_TAG_KEYS = ("track", "disc", "year", "genre")
_VOICE_KEYS = ("engine", "name", "model", "rate", "volume", "gap")
_CUE_VOICE_KEYS = ("engine", "name", "model", "rate", "volume")
_OUTPUT_KEYS = ("format", "sample_rate", "bitrate", "head", "tail", "album", "loudness")
_CUE_WORD_KEYS = ("halfway", "remaining", "remaining_one", "breathe_in", "hold", "breathe_out", "numbers", "voice")


def load_routine(path: str | Path) -> Routine:
    """Read, parse and validate a routine file; raise :class:`RoutineError` listing every problem."""
    return _Validator(read_document(path)).routine()


class _Validator(StepReader):
    def routine(self) -> Routine:
        root = self.doc.root
        keys = self.mapping(root, "routine", _TOP_KEYS)
        if keys is None:
            raise RoutineError(self.problems)
        for required in ("title", "steps"):
            if required not in keys:
                self.fail(root, f"missing required key '{required}'")
        title = self.label(keys["title"][1], "title", MAX_TITLE) if "title" in keys else None
        description = (
            self.label(keys["description"][1], "description", MAX_DESCRIPTION, lines=True)
            if "description" in keys
            else None
        )
        author = self.label(keys["author"][1], "author", MAX_NAME) if "author" in keys else None
        voice = self.voice(keys["voice"][1]) if "voice" in keys else Voice()
        own_lexicon = self.lexicon(keys["lexicon"][1]) if "lexicon" in keys else {}
        output = self.output(keys["output"][1]) if "output" in keys else Output()
        cues = self.cue_words(keys["cues"][1]) if "cues" in keys else CueWords()
        background = self.background(keys["background"][1]) if "background" in keys else None
        tags = self.tags(keys["tags"][1]) if "tags" in keys else Tags()
        cover = self.file(keys["cover"][1], "cover", IMAGE_SUFFIXES, media.inspect_image) if "cover" in keys else None
        steps: tuple[Step, ...] = ()
        if "steps" in keys:
            steps_key, steps_node = keys["steps"]
            steps = self.steps(steps_node, "steps", frozenset(), 1)
            total = self.declared_ms + (output.head_ms + output.tail_ms if output else 0)
            if total > MAX_SESSION_MS:
                self.fail(
                    steps_key,
                    f"session is at least {format_ms(total)} long, over the 12-hour limit; "
                    "shorten pauses, holds or repeats",
                )
            elif self.spoken_lines > MAX_SPOKEN_LINES:
                self.fail(
                    steps_key,
                    f"session speaks {self.spoken_lines} lines, over the limit of {MAX_SPOKEN_LINES}; reduce repeats",
                )
            elif problem := too_many_parts(unrolled_parts(steps)):
                self.fail(steps_key, problem)
        if self.problems:
            raise RoutineError(sorted(self.problems, key=lambda p: (p.line, p.col)))
        return Routine(
            title=title,
            steps=steps,
            source=self.doc.name,
            description=description,
            author=author,
            voice=voice,
            lexicon=lexicon_module.merge(own_lexicon),
            output=output,
            cues=cues,
            background=background,
            tags=tags,
            cover=cover,
        )

    def voice(self, node: yaml.Node, what: str = "voice", allowed: tuple[str, ...] = _VOICE_KEYS) -> Voice:
        keys = self.mapping(node, what, allowed) or {}
        values: dict[str, Any] = {}
        if "engine" in keys:
            named = keys["engine"][1]
            values["engine"] = self.label(named, f"{what}.engine", MAX_NAME)
            values["engine_at"] = Where(f"{what}.engine", named.start_mark.line + 1, named.start_mark.column + 1)
        for name in ("name", "model"):
            if name in keys:
                named = keys[name][1]
                values["where"] = Where(f"{what}.{name}", named.start_mark.line + 1, named.start_mark.column + 1)
        if "name" in keys:
            values["name"] = self.text(keys["name"][1], f"{what}.name")
        if "model" in keys:
            if "name" in keys:
                self.fail(keys["model"][0], f"'{what}' has both a name and a model; keep one of them")
            elif values.get("engine", "piper") != "piper":
                self.fail(keys["model"][0], f"'{what}.model' is a Piper voice model; set '{what}.engine' to piper")
            else:
                values["model"] = self.file(keys["model"][1], f"{what}.model", (".onnx",), media.inspect_model)
                values["engine"] = "piper"
        if "rate" in keys:
            node = keys["rate"][1]
            values["rate_at"] = Where(f"{what}.rate", node.start_mark.line + 1, node.start_mark.column + 1)
            low, high = PACE_RANGE
            values["rate"] = self.integer(keys["rate"][1], f"{what}.rate", low, high)
        if "volume" in keys:
            values["volume"] = self.number(keys["volume"][1], f"{what}.volume", 0.0, 1.0)
        if "gap" in keys:
            values["gap_ms"] = self.duration(keys["gap"][1], f"{what}.gap", allow_zero=True)
        return Voice(**{k: v for k, v in values.items() if v is not None})

    def lexicon(self, node: yaml.Node) -> dict[str, dict[str, str]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "lexicon must be a mapping of words to respellings")
            return {}
        if len(node.value) > MAX_LEXICON:
            too_many = f"lexicon has {len(node.value)} words, over the limit of {MAX_LEXICON}"
            self.fail(node, f"{too_many}; keep only the words this routine says")
            return {}
        out, first = {}, {}
        for key, value in node.value:
            word = self.label(key, "lexicon word", MAX_LEXICON_WORD)
            spellings = self.respellings(value, f"lexicon.{cut(str(key.value))}")
            same = first.setdefault(lexicon_module.entry(word), key) if word else key
            if same is not key:  # one word in two spellings: which respelling wins would be a guess
                line = same.start_mark.line + 1
                again = f"is the same word as '{cut(same.value)}' (line {line}), ignoring case and spaces"
                self.fail(key, f"lexicon word '{cut(word)}' {again}; keep one of them")
            elif word and spellings:
                out[word] = spellings
        return out

    def respellings(self, node: yaml.Node, what: str) -> dict[str, str]:
        """One respelling for every engine, or a mapping of engine names to respellings."""
        if not isinstance(node, yaml.MappingNode):
            spoken = self.spoken(node, what, limit=MAX_RESPELLING)
            return {"": spoken} if spoken else {}
        out = {}
        for key, value in node.value:
            engine = self.label(key, f"{what} engine", MAX_NAME)
            if engine and not re.fullmatch(r"[a-z0-9_.-]+", engine):
                self.fail(key, f"'{what}' keys must be engine names such as pyttsx3 or piper; got {shown(key)}")
            spoken = self.spoken(value, f"{what}.{cut(str(key.value))}", limit=MAX_RESPELLING)
            if engine and spoken:
                out[engine] = spoken
        if not node.value:
            self.fail(node, f"'{what}' has no respelling; write one, or one for each engine")
        return out

    def output(self, node: yaml.Node) -> Output:
        keys = self.mapping(node, "output", _OUTPUT_KEYS) or {}
        values: dict[str, Any] = {}
        if "format" in keys:
            fmt = self.text(keys["format"][1], "output.format")
            if fmt and fmt.lower() not in formats.FORMATS:
                self.fail(keys["format"][1], f"'output.format' must be {' or '.join(formats.FORMATS)}; got '{fmt}'")
            elif fmt:
                values["format"] = fmt.lower()
        if "sample_rate" in keys:
            self.ruled(keys["sample_rate"][1], "sample_rate", self.integer, formats.sample_rate_problem, values)
        if "bitrate" in keys:
            rate = values.get("sample_rate", Output.sample_rate)
            problem = lambda kbps: formats.bitrate_problem(kbps, rate)  # noqa: E731
            self.ruled(keys["bitrate"][1], "bitrate", self.integer, problem, values)
        for name in ("head", "tail"):
            if name in keys:
                values[f"{name}_ms"] = self.duration(keys[name][1], f"output.{name}", allow_zero=True)
        if "album" in keys:
            values["album"] = self.label(keys["album"][1], "output.album", MAX_NAME)
        if "loudness" in keys:
            self.ruled(keys["loudness"][1], "loudness", self.number, formats.loudness_problem, values)
        return Output(**{k: v for k, v in values.items() if v is not None})

    def ruled(self, node: yaml.Node, name: str, read, problem_of, values: dict[str, Any]) -> None:
        """Read ``output.<name>`` with ``read`` and check it with a rule from ``formats``."""
        value = read(node, f"output.{name}")
        problem = problem_of(value) if value is not None else None
        if problem:
            self.fail(node, f"'output.{name}' {problem}; got {shown(node)}")
        elif value is not None:
            values[name] = value

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
            values["file"] = self.file(keys["file"][1], "background.file", SOUND_SUFFIXES, media.inspect_audio)
            values["noise"] = None
        for name, low, high in (("level", -60, 0), ("duck", 0, 40)):
            if name in keys:
                values[f"{name}_db"] = self.db(keys[name][1], f"background.{name}", low, high)
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
            values["genre"] = self.label(keys["genre"][1], "tags.genre", MAX_NAME)
        return Tags(**{k: v for k, v in values.items() if v is not None})

    def cue_words(self, node: yaml.Node) -> CueWords:
        keys = self.mapping(node, "cues", _CUE_WORD_KEYS) or {}
        fields = frozenset({"side", "round", "rounds"})
        values: dict[str, Any] = {}
        if "voice" in keys:
            values["voice"] = self.voice(keys["voice"][1], "cues.voice", _CUE_VOICE_KEYS)
        for name in _CUE_WORD_KEYS[:-2]:
            if name in keys:
                extra = frozenset({"n"}) if name.startswith("remaining") else frozenset()
                values[name] = self.spoken(keys[name][1], f"cues.{name}", fields | extra)
        if "numbers" in keys:
            seq = keys["numbers"][1]
            if not isinstance(seq, yaml.SequenceNode) or not seq.value:
                self.fail(seq, "'cues.numbers' must be a list of number words, starting at one")
            else:
                words = [self.spoken(item, "cues.numbers item", limit=MAX_FILL) for item in seq.value]
                if all(words):
                    values["numbers"] = tuple(words)
        return CueWords(**{k: v for k, v in values.items() if v is not None})
