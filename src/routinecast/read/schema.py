"""The routine format as a JSON Schema (draft 2020-12), made from the reader's own lists of keys and kinds.

Editors (any yaml-language-server client, such as VS Code's YAML extension)
use it to complete keys and flag mistakes as a routine is typed. The reader
stays the judge: the schema cannot see files, clashes or limits. The shipped
file ``routinecast/routine.schema.json`` is this module's output
(``python -m routinecast.read.schema > src/routinecast/routine.schema.json``);
a test checks that the two agree.
"""

from __future__ import annotations

import json

from ..formats import FORMATS
from ..model import BELLS
from .composition import IGNORED_PREFIX
from .routine import TOP_KEYS
from .settings import BACKGROUND_KEYS, CUE_VOICE_KEYS, CUE_WORD_KEYS, NOISES, OUTPUT_KEYS, TAG_KEYS, VOICE_KEYS
from .steps import BREATH_CUES, BREATHE_KEYS, STEP_KEYS

_PARAMETER = r"\{[a-z][a-z0-9_]*\}"
_DURATION = {
    "description": "A length: seconds as a number (5, 2.5), or with units: 500ms, 30s, 1m30s, 1h; or a {parameter}.",
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^(\d+(\.\d+)?h)?(\d+(\.\d+)?m)?(\d+(\.\d+)?s)?(\d+(\.\d+)?ms)?$"},
        {"type": "string", "pattern": f"^{_PARAMETER}$"},
    ],
}
_LEVEL = {
    "description": "A level in decibels: a number or text like -6dB.",
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[+-]?\d+(\.\d+)?\s*([dD][bB])?$"}],
}
_COUNT = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": f"^{_PARAMETER}$"}]}
_TEXT = {"type": "string", "minLength": 1}
_SPOKEN = {**_TEXT, "description": "Words to speak; {placeholders} are filled in."}
_BELL = {
    "description": "A bell: a preset's name, or a preset with a gain.",
    "anyOf": [
        {"enum": list(BELLS)},
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"preset": {"enum": list(BELLS)}, "gain": _LEVEL},
        },
    ],
}


def _object(keys: tuple[str, ...], properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    """An object with exactly ``keys``; those without a schema of their own may hold anything."""
    return {
        "type": "object",
        **({"description": description} if description else {}),
        "additionalProperties": False,
        "properties": {key: properties.get(key, {}) for key in keys},
        **({"required": list(required)} if required else {}),
    }


def _voice(keys: tuple[str, ...]) -> dict:
    return _object(
        keys,
        {
            "engine": {**_TEXT, "description": "Speech engine: pyttsx3, piper or another installed one."},
            "name": {**_TEXT, "description": "Voice id, name or language code."},
            "model": {
                "type": "string",
                "pattern": r"\.onnx$",
                "description": "A Piper voice file, relative to the routine.",
            },
            "rate": {"type": "integer", "minimum": 60, "maximum": 300, "description": "Pace in words per minute."},
            "volume": {"type": "number", "minimum": 0, "maximum": 1},
            "gap": _DURATION,
        },
    )


def _steps() -> dict:
    heard = {"say": _SPOKEN, "sound": _TEXT, "bell": _BELL, "gain": _LEVEL}
    placed = [
        {
            **_object((place, "say", "sound", "bell", "gain"), {place: _DURATION, **heard}, (place,)),
            "oneOf": [{"required": ["say"]}, {"required": ["sound"]}, {"required": ["bell"]}],
        }
        for place in ("at", "after")
    ]
    cue = {
        "description": "halfway, or a mapping: remaining, countdown, halfway, or at/after with say, sound or bell.",
        "anyOf": [
            {"const": "halfway"},
            _object(("remaining",), {"remaining": _COUNT}, ("remaining",)),
            _object(("countdown",), {"countdown": _COUNT}, ("countdown",)),
            _object(("halfway",), {"halfway": _SPOKEN}, ("halfway",)),
            *placed,
        ],
    }
    step_schemas = {
        "say": {"say": _SPOKEN},
        "pause": {"pause": _DURATION},
        "section": {"section": {**_TEXT, "description": "Starts a chapter."}},
        "repeat": {"repeat": _COUNT, "steps": {"$ref": "#/$defs/steps"}},
        "sides": {
            "sides": {"type": "array", "items": _TEXT, "minItems": 1},
            "switch": _SPOKEN,
            "steps": {"$ref": "#/$defs/steps"},
        },
        "hold": {"hold": _DURATION, "say": _SPOKEN, "then": _SPOKEN, "cues": {"type": "array", "items": cue}},
        "breathe": {
            "breathe": _object(
                BREATHE_KEYS,
                {
                    "in": _DURATION,
                    "out": _DURATION,
                    "hold": _DURATION,
                    "rest": _DURATION,
                    "cycles": _COUNT,
                    "cue": {"enum": list(BREATH_CUES)},
                },
                ("in", "out"),
            )
        },
        "bell": {"bell": _BELL},
        "sound": {"sound": {**_TEXT, "description": "An audio file, relative to the routine."}, "gain": _LEVEL},
    }
    kinds = [_object(keys, step_schemas[kind], (kind,)) for kind, keys in STEP_KEYS.items()]
    kinds.append(
        {
            "type": "object",
            "description": "Use a block: its name, and its parameters beside it.",
            "properties": {"use": _TEXT},
            "required": ["use"],
        }
    )
    kinds.append(
        _object(
            ("include", "with"),
            {"include": {"type": "string", "pattern": r"\.ya?ml$"}, "with": {"type": "object"}},
            ("include",),
            "Insert another routine file's steps, in a chapter named by its title.",
        )
    )
    return {"type": "array", "minItems": 1, "items": {"anyOf": [{"const": "bell"}, *kinds]}}


def schema() -> dict:
    """The JSON Schema of a routine file."""
    words = {key: _SPOKEN for key in CUE_WORD_KEYS}
    words |= {"numbers": {"type": "array", "items": _TEXT, "minItems": 1}, "voice": _voice(CUE_VOICE_KEYS)}
    top = {
        "title": {**_TEXT, "maxLength": 200, "description": "The session's title (ID3 title)."},
        "description": {"type": "string", "maxLength": 2000},
        "author": {"type": "string", "maxLength": 100},
        "voice": _voice(VOICE_KEYS),
        "lexicon": {
            "type": "object",
            "description": "Words and how to say them: one respelling, or one per engine.",
            "additionalProperties": {"anyOf": [_TEXT, {"type": "object", "additionalProperties": _TEXT}]},
        },
        "output": _object(
            OUTPUT_KEYS,
            {
                "format": {"enum": list(FORMATS)},
                "sample_rate": {"type": "integer"},
                "bitrate": {"type": "integer"},
                "head": _DURATION,
                "tail": _DURATION,
                "album": _TEXT,
                "loudness": {"type": "number", "minimum": -36, "maximum": -6},
            },
        ),
        "cues": _object(CUE_WORD_KEYS, words, description="The words routinecast speaks on its own."),
        "background": _object(
            BACKGROUND_KEYS,
            {"noise": {"enum": list(NOISES)}, "file": _TEXT, "level": _LEVEL, "duck": _LEVEL, "fade": _DURATION},
        ),
        "tags": _object(
            TAG_KEYS,
            {
                "track": {"type": ["string", "integer"], "pattern": r"^\d+(/\d+)?$"},
                "disc": {"type": ["string", "integer"], "pattern": r"^\d+(/\d+)?$"},
                "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
                "genre": _TEXT,
            },
        ),
        "cover": {"type": "string", "pattern": r"(?i)\.(png|jpe?g)$"},
        "parameters": {
            "type": "object",
            "description": "Values used as {name} anywhere; null means the value must be given (--set name=...).",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
        },
        "blocks": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_-]*$"},
            "additionalProperties": _object(
                ("parameters", "steps"),
                {"parameters": {"type": "object"}, "steps": {"$ref": "#/$defs/steps"}},
                ("steps",),
            ),
        },
        "steps": {"$ref": "#/$defs/steps"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "routinecast routine",
        "description": "A guided routine that routinecast turns into a narrated audio session.",
        "type": "object",
        "properties": {key: top[key] for key in TOP_KEYS},
        "patternProperties": {f"^{IGNORED_PREFIX}": {"description": "Ignored: a place for YAML anchors."}},
        "additionalProperties": False,
        "required": ["title", "steps"],
        "$defs": {"steps": _steps()},
    }


def text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(schema(), indent=1) + "\n"


if __name__ == "__main__":
    print(text(), end="")
