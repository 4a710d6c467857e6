"""Reading typed fields out of YAML nodes, each failure recorded as a located problem."""

from __future__ import annotations

import difflib
import math
import os
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..options import Where
from ..units import DURATION_HINT, duration_in_words, parse_db, parse_duration_ms
from .document import MAX_TEXT, Document, cut
from .media import Unusable
from .text import INVISIBLE, clean_text, length_problem, nothing_to_say

PLACEHOLDER_PLACES = {
    "side": "inside 'sides'",
    "round": "inside 'repeat'",
    "rounds": "inside 'repeat'",
    "this_round": "inside 'repeat'",
    "hold_time": "in a hold's 'say', 'then' and cues",
    "n": "in the cue words 'remaining', 'remaining_one', 'second(s)', 'minute(s)' and 'round_name'",
}
"""The placeholders only some texts may use, and where they are filled."""
SYNONYMS = {
    "inhale": "in",
    "exhale": "out",
    "breathe_in": "in",
    "breathe_out": "out",
    "breaths": "cycles",
    "rounds": "cycles",
    "times": "cycles",
    "repeat": "cycles",
    "reps": "cycles",
    "pause": "rest",
    "text": "say",
    "speak": "say",
    "wait": "pause",
    "duration": "hold",
    "chapter": "section",
}
"""Words a writer reaches for, and the key they mean: a did-you-mean that spelling alone would not find."""
COMMA_IN_FLOW = "inside { } a comma ends the value, so put text with a comma in quotes"
"""What is said of a key that is the tail of a text cut at a comma in a flow mapping."""
MAX_NUMBER = 10**15
"""Largest magnitude a number field reads, bounded or not; past it a value is a slip and arithmetic overflows."""


class Fields:
    """Helpers that read one value each and record a problem instead of raising."""

    def __init__(self, document: Document):
        self.doc = document
        self.problems: dict[Problem, None] = {}
        """Problems found so far, each once, in the order found (a dict keeps order and drops repeats)."""
        self.bases = {document.name: document.path.resolve().parent}
        """Folder of each file the routine is read from, by name: a file a value names is found from there."""
        self.inspected: dict[Path, Any] = {}
        """What :meth:`file` found in each file: its inspection's result, or the :class:`Unusable` it raised."""

    def where(self, node: yaml.Node, path: str) -> Where:
        """Where ``node`` is written, for the later stages' messages; ``path`` names it in the timeline."""
        mark = node.start_mark
        return Where(path, mark.line + 1, mark.column + 1, None if mark.name == self.doc.name else mark.name)

    def fail(self, node: yaml.Node | None, message: str) -> None:
        """Record a problem once: a value an alias repeats is checked each time but reported once."""
        self.problems.setdefault(self.doc.problem(node, message))

    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """Keys of a mapping node with their key and value nodes; unknown keys are reported.

        An unknown key that surely means an allowed one not written beside it (a synonym,
        or a near spelling) is reported and then read as that key, so its value is still
        checked and the key is not also reported missing.
        """
        if not isinstance(node, yaml.MappingNode):
            message = f"{what} must be a mapping of keys to values"
            if node.tag.endswith(":bool"):  # background: off
                message += f"; got {shown(node)}" + ("" if self.doc.scalar(node) else "; to have none, remove it")
            self.fail(node, message)
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        written = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.fail(key, f"a key in {what} must be a name, not {shown(key)}; allowed: {', '.join(allowed)}")
                continue
            name = key.value
            if name not in allowed:
                meant = SYNONYMS.get(name) if SYNONYMS.get(name) in allowed else None
                meant = meant or next(iter(difflib.get_close_matches(name, allowed, n=1, cutoff=0.8)), None)
                hint = [meant] if meant else difflib.get_close_matches(name, allowed, n=1)
                tip = f"; did you mean '{hint[0]}'?" if hint else f"; allowed: {', '.join(allowed)}"
                if " " in name and node.flow_style and value.tag.endswith(":null"):  # {say: Hi, there}
                    tip, meant = f"; {COMMA_IN_FLOW}", None
                self.fail(key, f"unknown key '{cut(name)}' in {what}{tip}")
                if not meant or meant in written:
                    continue
                name = meant
            out[name] = (key, value)
        return out

    def text(
        self,
        node: yaml.Node,
        what: str,
        fields: frozenset[str] = frozenset(),
        allow_empty: bool = False,
        clean: bool = False,
        lines: bool = False,
    ) -> str | None:
        """A text; with ``clean``, as :func:`.text.clean_text` leaves it (``lines`` keeps line breaks)."""
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"'{what}' must be text")
            return None
        value = self.doc.scalar(node)
        if value is None or isinstance(value, bool):
            value = "" if value is None else node.value
        value = str(value).strip()
        if not value and not allow_empty:
            self.fail(node, f"'{what}' is empty; write the text or remove it")
            return None
        if clean:  # before the placeholders: an invisible character inside {side} is not part of its name
            value = clean_text(value, lines)
            if not value and not allow_empty:
                self.fail(node, f"'{what}' {INVISIBLE}")
                return None
        if not self.placeholders(node, value, fields):
            return None
        return value

    def label(
        self, node: yaml.Node, what: str, limit: int, fields: frozenset[str] = frozenset(), lines: bool = False
    ) -> str | None:
        """A cleaned text (:func:`.text.clean_text`) of at most ``limit`` characters: a title, a name."""
        value = self.text(node, what, fields, clean=True, lines=lines)
        problem = length_problem(value, limit) if value else None
        if problem:
            self.fail(node, f"'{what}' {problem}")
            return None
        return value

    def spoken(
        self, node: yaml.Node, what: str, fields: frozenset[str] = frozenset(), limit: int = MAX_TEXT
    ) -> str | None:
        """A cleaned text the engine will speak: it must keep a letter or a digit (:func:`.text.nothing_to_say`)."""
        value = self.label(node, what, limit, fields)
        problem = nothing_to_say(value) if value else None
        if problem:
            self.fail(node, f"'{what}' {problem}")
            return None
        return value

    def placeholders(self, node: yaml.Node, value: str, fields: frozenset[str]) -> bool:
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError:
            self.fail(node, "unbalanced '{' or '}' in text; write {{ or }} for a literal brace")
            return False
        ok = True
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name in fields and not spec and not conversion:
                continue
            ok = False
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            hint = difflib.get_close_matches(name, PLACEHOLDER_PLACES, n=1)
            if name in PLACEHOLDER_PLACES and not spec and not conversion:
                where = PLACEHOLDER_PLACES[name]
                self.fail(node, f"placeholder {written} is only available {where}")
            elif hint:
                self.fail(node, f"unknown placeholder {written}; did you mean {{{hint[0]}}}?")
            else:
                usable = ", ".join("{" + f + "}" for f in sorted(fields))
                braces = "{{" + written[1:-1] + "}}"
                tip = f"for the braces themselves write {braces}"
                if re.fullmatch(r"[a-z][a-z0-9_]*", name):
                    tip += f", or declare '{name}' under parameters"
                self.fail(
                    node, f"unknown placeholder {written}; {tip}" + (f" (usable here: {usable})" if usable else "")
                )
        return ok

    def duration(self, node: yaml.Node, what: str, allow_zero: bool = False) -> int | None:
        value = self.doc.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        try:
            if not isinstance(node, yaml.ScalarNode):
                raise ValueError(f"must be {DURATION_HINT}")
            ms = parse_duration_ms(value)
        except ValueError as exc:
            written = f"{exc}; got {shown(node)}"
            better = duration_in_words(str(value)) if isinstance(value, str) else None
            self.fail(node, f"'{what}' {written}; write {better}" if better else f"'{what}' {written}")
            return None
        if ms < 0 or (ms == 0 and not allow_zero):
            limit = "zero or more" if allow_zero else "longer than zero"
            self.fail(node, f"'{what}' must be {limit}; got {shown(node)}")
            return None
        return ms

    def integer(self, node: yaml.Node, what: str, low: int | None = None, high: int | None = None) -> int | None:
        """A whole number, within ``low`` to ``high`` when they are given."""
        value = self.doc.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        bounded = low is None or high is None or (isinstance(value, int) and low <= value <= high)
        huge = isinstance(value, int) and abs(value) > MAX_NUMBER
        if not isinstance(value, int) or isinstance(value, bool) or not bounded or huge:
            span = f" from {low} to {high}" if low is not None else ""
            self.fail(node, f"'{what}' must be a whole number{span}; got {shown(node)}")
            return None
        return value

    def number(self, node: yaml.Node, what: str, low: float | None = None, high: float | None = None) -> float | None:
        """A number, within ``low`` to ``high`` when they are given."""
        value = self.doc.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        bounded = low is None or high is None or (isinstance(value, (int, float)) and low <= value <= high)
        sane = isinstance(value, (int, float)) and math.isfinite(value) and abs(value) <= MAX_NUMBER
        if not sane or isinstance(value, bool) or not bounded:
            span = f" from {low} to {high}" if low is not None else ""
            self.fail(node, f"'{what}' must be a number{span}; got {shown(node)}")
            return None
        return float(value)

    def db(self, node: yaml.Node, what: str, low: float = -60, high: float = 20) -> float | None:
        """A level in decibels, within ``low`` to ``high``."""
        try:
            if not isinstance(node, yaml.ScalarNode):
                raise ValueError("must be a level like -6dB")
            value = parse_db(self.doc.scalar(node))
        except ValueError as exc:
            self.fail(node, f"'{what}' {exc}; got {shown(node)}")
            return None
        if not low <= value <= high:
            self.fail(node, f"'{what}' must be between {low:g}dB and {high:g}dB; got {shown(node)}")
            return None
        return value

    def file(
        self, node: yaml.Node, what: str, suffixes: tuple[str, ...], inspect: Callable[[Path], Any]
    ) -> Path | None:
        """A file the routine names (relative to its folder), checked by ``inspect`` from :mod:`.media`.

        What ``inspect`` finds is kept in ``inspected`` by path, so a file named many
        times is opened once.
        """
        name = self.text(node, what)
        if not name:
            return None
        path = self.bases.get(node.start_mark.name, Path.cwd()) / name
        try:
            path = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before Python 3.13): inspect names it
            path = Path(os.path.abspath(path))
        if path.suffix.lower() not in suffixes:
            self.fail(node, f"'{what}' must be a {', '.join(s.lstrip('.') for s in suffixes)} file; got '{name}'")
            return None
        if not os.path.lexists(path):
            self.fail(
                node,
                f"{what} file '{name}' not found (looked in {path.parent}); paths are relative to the routine file",
            )
            return None
        if path not in self.inspected:
            try:
                self.inspected[path] = inspect(path)
            except Unusable as exc:
                self.inspected[path] = exc
        if isinstance(self.inspected[path], Unusable):
            self.fail(node, f"{what} file '{name}' {self.inspected[path]}")
            return None
        return path


def shown(node: yaml.Node) -> str:
    """A node as messages quote it: a scalar as written, else 'a list' or 'a mapping'."""
    if isinstance(node, yaml.ScalarNode):
        value = cut(node.value)
        if not value and not node.style:
            return "nothing"
        if node.tag.endswith(":bool") and not node.style:  # yes, no, on, off: YAML 1.1's booleans
            return f"{value} (which YAML reads as true or false)"
        return repr(value) if node.style else value
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
