"""Read a routine file into a YAML document: a node tree that keeps line and column marks.

Only PyYAML's safe loader is used: nothing in a routine can construct Python
objects. Duplicate keys, bad UTF-8 and syntax errors become ``Problem`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RoutineError


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
    """The loader that composed ``root``; it constructs scalars safely."""

    def problem(self, node: yaml.Node | None, message: str) -> Problem:
        """A problem located at ``node`` (or at the top of the file)."""
        if node is None:
            return Problem(self.name, 1, 1, message)
        mark = node.start_mark
        return Problem(self.name, mark.line + 1, mark.column + 1, message)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """The Python value of a scalar node (str, int, float, bool or None)."""
        return self.loader.construct_object(node, deep=True)


def read_document(path: str | Path) -> Document:
    """Parse ``path`` into a :class:`Document`, or raise :class:`RoutineError`."""
    name = str(path)
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RoutineError(Problem(name, 1, 1, "no such file; check the path")) from None
    except OSError as exc:
        raise RoutineError(Problem(name, 1, 1, f"cannot read file ({exc.strerror})")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RoutineError(
            Problem(
                name,
                line,
                col,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )
        ) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "cannot parse"
        raise RoutineError(Problem(name, mark.line + 1, mark.column + 1, f"YAML syntax error: {what}")) from None
    except yaml.reader.ReaderError as exc:  # a control character YAML forbids
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise RoutineError(
            Problem(name, line, col, f"character {exc.character!r} is not allowed in YAML; remove it")
        ) from None
    finally:
        loader.dispose()
    if root is None:
        raise RoutineError(Problem(name, 1, 1, "file is empty; a routine needs at least 'title' and 'steps'"))
    document = Document(path=path, name=name, root=root, loader=loader)
    problems = _structure_problems(document, root)
    if problems:
        raise RoutineError(problems)
    return document


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


def _structure_problems(document: Document, node: yaml.Node) -> list[Problem]:
    """Duplicate keys in any mapping, and tags that are not plain YAML data."""
    problems: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in _PLAIN_TAGS:
            tag = current.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(document.problem(current, f"tag '{tag}' is not allowed; a routine is plain YAML data"))
            continue
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        problems.append(
                            document.problem(
                                key,
                                f"duplicate key '{key.value}' (first at line {first}); keep only one",
                            )
                        )
                    else:
                        seen[key.value] = key
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(problems, key=lambda p: (p.line, p.col))
