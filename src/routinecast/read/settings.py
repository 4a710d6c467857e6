"""Validators for a routine's settings: the voice, the output, the bed, the tags and the words of cues."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .. import formats
from ..formats import SOUND_SUFFIXES
from ..model import Background, CueWords, Output, Tags, Voice
from ..options import PACE_RANGE
from . import media
from .fields import Fields, shown
from .text import MAX_FILL, MAX_NAME

NOISES = ("brown", "pink", "white")
BACKGROUND_KEYS = ("noise", "file", "level", "duck", "fade")
TAG_KEYS = ("track", "disc", "year", "genre")
VOICE_KEYS = ("engine", "name", "model", "rate", "volume", "gap")
CUE_VOICE_KEYS = ("engine", "name", "model", "rate", "volume")
OUTPUT_KEYS = ("format", "sample_rate", "bitrate", "head", "tail", "album", "loudness")
CUE_WORD_KEYS = (
    "halfway",
    "remaining",
    "remaining_one",
    "breathe_in",
    "hold",
    "breathe_out",
    "second",
    "seconds",
    "minute",
    "minutes",
    "round_name",
    "last_round",
    "numbers",
    "voice",
)
_NUMBER_WORDS = ("second", "seconds", "minute", "minutes", "round_name")
"""Cue words that are parts of other lines, filled with a number word ``{n}`` and nothing else."""


class SettingsReader(Fields):
    """Reads the mappings of a routine's settings into their typed options."""

    def voice(self, node: yaml.Node, what: str = "voice", allowed: tuple[str, ...] = VOICE_KEYS) -> Voice:
        keys = self.mapping(node, what, allowed) or {}
        values: dict[str, Any] = {}
        if "engine" in keys:
            named = keys["engine"][1]
            values["engine"] = self.label(named, f"{what}.engine", MAX_NAME)
            values["engine_at"] = self.where(named, f"{what}.engine")
        for name in ("name", "model"):
            if name in keys:
                named = keys[name][1]
                values["where"] = self.where(named, f"{what}.{name}")
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
            values["rate_at"] = self.where(node, f"{what}.rate")
            low, high = PACE_RANGE
            values["rate"] = self.integer(keys["rate"][1], f"{what}.rate", low, high)
        if "volume" in keys:
            values["volume"] = self.number(keys["volume"][1], f"{what}.volume", 0.0, 1.0)
        if "gap" in keys:
            values["gap_ms"] = self.duration(keys["gap"][1], f"{what}.gap", allow_zero=True)
        return Voice(**{k: v for k, v in values.items() if v is not None})

    def output(self, node: yaml.Node) -> Output:
        keys = self.mapping(node, "output", OUTPUT_KEYS) or {}
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
        keys = self.mapping(node, "background", BACKGROUND_KEYS)
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
        keys = self.mapping(node, "tags", TAG_KEYS) or {}
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
        keys = self.mapping(node, "cues", CUE_WORD_KEYS) or {}
        fields = frozenset({"side", "round", "rounds"})
        values: dict[str, Any] = {}
        if "voice" in keys:
            values["voice"] = self.voice(keys["voice"][1], "cues.voice", CUE_VOICE_KEYS)
        for name in CUE_WORD_KEYS[:-2]:
            if name in keys:
                if name in _NUMBER_WORDS or name == "last_round":
                    own = frozenset({"n"} if name != "last_round" else ())
                else:
                    own = fields | ({"n"} if name.startswith("remaining") else set())
                values[name] = self.spoken(keys[name][1], f"cues.{name}", own)
        if "numbers" in keys:
            seq = keys["numbers"][1]
            if not isinstance(seq, yaml.SequenceNode) or not seq.value:
                self.fail(seq, "'cues.numbers' must be a list of number words, starting at one")
            else:
                words = [self.spoken(item, "cues.numbers item", limit=MAX_FILL) for item in seq.value]
                if all(words):
                    values["numbers"] = tuple(words)
        return CueWords(**{k: v for k, v in values.items() if v is not None})
