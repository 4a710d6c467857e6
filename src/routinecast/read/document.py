"""Read a routine file into a YAML document: a node tree that keeps line and column marks.

Only PyYAML's safe loader is used: nothing in a routine can construct Python
objects. Duplicate keys, bad UTF-8, syntax errors and inputs past the limits
below become ``Problem`` lines, so no file can make reading slow, huge or crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RoutineError
from .faults import not_text, syntax_problem
from .loader import YAML_TAG, LimitError, Loader
from .merges import merge_keys

MAX_FILE_BYTES = 250_000
"""Largest routine file read at all, in bytes; a real routine is a few kilobytes.

PyYAML's pure-Python scanner needs up to about 2 microseconds a byte, so this
keeps the worst file well under a second.
"""
MAX_TEXT = 10_000
"""Longest single value, key or text, in characters."""
QUOTED_CHARS = 60
"""Longest value quoted whole in a message; longer ones are cut with '...'."""
MAX_NUMBER_DIGITS = 100
"""Most digits a written number may have; no field needs more, and longer ones are slow or fail to convert."""


@dataclass(frozen=True)
class Document:
    """A routine file, parsed as YAML but not yet validated."""

    path: Path
    """Where the file is; relative paths in the routine are resolved from its folder."""
    name: str
    """The path as the user gave it, used in messages."""
    root: yaml.Node
    """The document's root node, with ``start_mark`` on every node."""
    loader: yaml.SafeLoader
    """The loader that composed ``root``; every scalar in it is already constructed, so this cannot fail."""

    def problem(self, node: yaml.Node | None, message: str) -> Problem:
        """A problem located at ``node`` (or at the top of the file), in the file the node was written in."""
        if node is None:
            return Problem(self.name, 1, 1, message)
        mark = node.start_mark
        return Problem(mark.name, mark.line + 1, mark.column + 1, message)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """The Python value of a scalar node (str, int, float, bool or None)."""
        return self.loader.construct_object(node, deep=True)


def read_document(path: str | Path, name: str | None = None) -> Document:
    """Parse ``path`` into a :class:`Document`, or raise :class:`RoutineError`.

    Messages name the file ``name`` (default: ``path`` as given).
    """
    name = name or str(path)
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise RoutineError(Problem(name, 1, 1, "no such file; check the path")) from None
    except OSError as exc:
        raise RoutineError(Problem(name, 1, 1, f"cannot read file ({exc.strerror})")) from None
    if len(data) > MAX_FILE_BYTES:
        raise RoutineError(
            Problem(
                name,
                1,
                1,
                f"file is over {MAX_FILE_BYTES // 1000} KB, too big for a routine; split it into smaller routines",
            )
        )
    if wrong := not_text(data):
        raise RoutineError(Problem(name, 1, 1, wrong))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")  # valid up to there: columns count characters, not bytes
        line, col = _place(before, len(before))
        raise RoutineError(
            Problem(
                name,
                line,
                col,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )
        ) from None
    loader = None
    try:
        loader = Loader(text, name)
        root = loader.get_single_node()
    except LimitError as exc:
        raise RoutineError(Problem(name, exc.mark.line + 1, exc.mark.column + 1, exc.message)) from None
    except yaml.MarkedYAMLError as exc:
        line, col, message = syntax_problem(exc, text)  # where the mistake starts, not where PyYAML gave up
        raise RoutineError(Problem(name, line, col, f"YAML syntax error: {message}")) from None
    except yaml.reader.ReaderError as exc:  # a control character YAML forbids
        line, col = _place(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RoutineError(
            Problem(name, line, col, f"character U+{char:04X} is not allowed in YAML; remove it")
        ) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # a fault PyYAML does not report itself
        mark = loader.get_mark() if loader is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RoutineError(Problem(name, line, col, f"YAML syntax error: cannot read this ({exc}); fix it")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise RoutineError(Problem(name, 1, 1, "file is empty; a routine needs at least 'title' and 'steps'"))
    document = Document(path=path, name=name, root=root, loader=loader)
    problems = _structure_problems(document)
    if problems:
        raise RoutineError(problems)
    return document


def read_value(text: str, name: str) -> yaml.Node:
    """One value written on the command line (``--set hold=45s``), as a node whose marks name ``name``.

    It is read as YAML, so ``2`` is a number and ``45s`` a text, like the same value in a routine.
    """
    loader = Loader(text, name)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, LimitError, ValueError, RecursionError):
        node = None
    finally:
        loader.dispose()
    problems = [] if node is None else _structure_problems(Document(Path.cwd(), name, node, loader))
    if node is None or problems:
        raise RoutineError(f"{name}: cannot read the value {text!r}; write a number, a duration or a text")
    return node


_KINDS = {"str": yaml.ScalarNode, "int": yaml.ScalarNode, "float": yaml.ScalarNode, "bool": yaml.ScalarNode}
_KINDS |= {"null": yaml.ScalarNode, "seq": yaml.SequenceNode, "map": yaml.MappingNode}
_TAGS = {YAML_TAG + name: kind for name, kind in _KINDS.items()}
_READ_AS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]")
"""A whole number written with a leading zero (010): YAML 1.1, which PyYAML reads, takes it for octal (8).

YAML 1.1's other surprises: dates and numbers in base 60 (1:30) are read as text (``Loader``);
yes, no, on and off stay true and false, which a text field reads as written and any other field
names in its message (``fields.shown``).
"""
# C0 and C1 controls but tab, line feed, carriage return and next line (U+0085), which are whitespace.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _structure_problems(document: Document) -> list[Problem]:
    """Duplicate keys, tags that are not plain YAML data, and values that are too long or cannot be read.

    Every scalar is constructed here, so :meth:`Document.scalar` cannot fail later.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack = [document.root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: checked once, where its anchor is
            continue
        seen.add(id(node))
        if node.tag == YAML_TAG + "merge":  # '<<' as a value, not a key: plain text
            node.tag = YAML_TAG + "str"
        if _TAGS.get(node.tag) is not type(node):
            tag = node.tag.replace(YAML_TAG, "!!")
            what = (
                "is not allowed; a routine is plain YAML data"
                if node.tag not in _TAGS
                else "does not fit here; remove it"
            )
            problems.append(document.problem(node, f"tag '{tag}' {what}"))
        elif isinstance(node, yaml.ScalarNode):
            message = _scalar_problem(document, node)
            if message:
                problems.append(document.problem(node, message))
        elif isinstance(node, yaml.MappingNode):
            problems.extend(merge_keys(document.problem, node))
            first: dict[str, yaml.Node] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in first:
                    line, name = first[key.value].start_mark.line + 1, cut(key.value)
                    problems.append(
                        document.problem(key, f"duplicate key '{name}' (first at line {line}); keep only one")
                    )
                elif isinstance(key, yaml.ScalarNode):
                    first[key.value] = key
                stack.extend((value, key))
        else:
            stack.extend(reversed(node.value))
    return sorted(problems, key=lambda p: (p.line, p.col))


def _scalar_problem(document: Document, node: yaml.ScalarNode) -> str | None:
    """Why the scalar cannot be used, or ``None`` once it is constructed."""
    if len(node.value) > MAX_TEXT:
        return f"value is {len(node.value)} characters long, over the limit of {MAX_TEXT}; shorten it"
    if _SURROGATE.search(node.value):
        try:  # a pair of \\u escapes (as JSON writes them) stands for one character
            node.value = node.value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            code = ord(_SURROGATE.search(node.value)[0])
            return f"escape \\u{code:04x} is half of a surrogate pair, not a character; write the character itself"
    control = _CONTROL.search(node.value)
    if control:
        return f"escape \\x{ord(control[0]):02x} is a control character, not text; remove it"
    kind = node.tag.removeprefix(YAML_TAG)
    if kind in ("int", "float") and sum(c.isdigit() for c in node.value) > MAX_NUMBER_DIGITS:
        return f"number has over {MAX_NUMBER_DIGITS} digits; write a smaller number, or quote it if it is text"
    try:
        value = document.scalar(node)
    except (ValueError, KeyError, IndexError, yaml.YAMLError):  # IndexError: an empty !!int or !!float
        return f"cannot read {cut(node.value)!r} as {_READ_AS.get(kind, kind)}; fix it or remove the tag"
    if type(value) is int and abs(value) >= 10**MAX_NUMBER_DIGITS:
        return f"number is over {MAX_NUMBER_DIGITS} digits long; write a smaller number, or quote it if it is text"
    if kind == "int" and _LEADING_ZERO.match(node.value):
        meant = ("-" if node.value.startswith("-") else "") + (node.value.lstrip("+-").lstrip("0_") or "0")
        return (
            f"YAML reads {node.value} as {value} (a leading 0 means base 8); "
            f"write {meant}, or put it in quotes if it is text"
        )
    return None


def _place(text: str, at: int) -> tuple[int, int]:
    """The 1-based line and column of position ``at`` in ``text``."""
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def cut(text: str) -> str:
    """``text`` as messages quote it: cut to ``QUOTED_CHARS`` characters."""
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "..."
