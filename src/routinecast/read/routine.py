"""Validate a parsed routine file into the typed model, reporting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..errors import RoutineError
from ..formats import IMAGE_SUFFIXES, MAX_SESSION_MS
from ..model import CueWords, Output, Routine, Step, Tags, Voice
from ..units import format_ms
from . import lexicon as lexicon_module
from . import media
from .composition import Composition, compose
from .document import Document, cut, read_document
from .fields import shown
from .limits import MAX_SPOKEN_LINES, too_many_parts, unrolled_parts
from .settings import SettingsReader
from .steps import SESSION_FIELDS, StepReader
from .text import MAX_DESCRIPTION, MAX_LEXICON, MAX_LEXICON_WORD, MAX_NAME, MAX_RESPELLING, MAX_TITLE

TOP_KEYS = (
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
    "parameters",
    "blocks",
    "steps",
)


def load_routine(path: str | Path, parameters: Iterable[tuple[str, str]] = ()) -> Routine:
    """Read, compose and validate a routine file; raise :class:`RoutineError` listing every problem.

    ``parameters`` are ``(name, YAML text)`` pairs that override the routine's parameter defaults.
    """
    document = read_document(path)
    return _Validator(document, compose(document, parameters)).routine()


class _Validator(StepReader, SettingsReader):
    def __init__(self, document: Document, composition: Composition):
        super().__init__(document)
        self.composition = composition
        self.bases.update(composition.bases)
        self.problems.update(dict.fromkeys(composition.problems))
        self.composing_failed = bool(composition.problems)

    def routine(self) -> Routine:
        root = self.composition.root
        keys = self.mapping(root, "routine", TOP_KEYS)
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
        own_lexicon: dict[str, dict[str, str]] = {}
        for node in [*self.composition.lexicons, *([keys["lexicon"][1]] if "lexicon" in keys else [])]:
            own_lexicon.update(self.lexicon(node))  # the routine's own, last, wins over its includes'
        output = self.output(keys["output"][1]) if "output" in keys else Output()
        cues = self.cue_words(keys["cues"][1]) if "cues" in keys else CueWords()
        background = self.background(keys["background"][1]) if "background" in keys else None
        tags = self.tags(keys["tags"][1]) if "tags" in keys else Tags()
        cover = self.file(keys["cover"][1], "cover", IMAGE_SUFFIXES, media.inspect_image) if "cover" in keys else None
        steps: tuple[Step, ...] = ()
        if "steps" in keys:
            steps_key, steps_node = keys["steps"]
            steps = self.steps(steps_node, "steps", SESSION_FIELDS, 1)
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
            main = self.doc.name
            raise RoutineError(sorted(self.problems, key=lambda p: (p.file != main, p.file, p.line, p.col)))
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
