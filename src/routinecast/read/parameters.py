"""Parameters: declared with defaults, given values, and filled into the values that name them.

A placeholder ``{name}`` of a parameter is filled wherever it is written. A
value that is nothing but ``{name}`` becomes the parameter's value itself
(a number stays a number); one written inside a longer value is filled in as
text. ``{{`` and ``}}`` stay literal braces, and other names are left for the
script stage (``{side}``, ``{round}``...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem, RoutineError
from .document import MAX_TEXT, Document, cut
from .loader import MAX_NODES

MAX_PARAMETERS = 50
"""Most parameters a routine or a block may declare."""
MAX_COMPOSED = 10 * MAX_NODES
"""Most values a routine may hold once its blocks and includes are written out."""
RESERVED = ("side", "round", "rounds", "n", "hold_time", "session_time", "exercise", "exercises", "this_round")
"""Placeholder names the script stage fills; no parameter may take them."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)\}")
_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Scope:
    """What placeholders and block names mean where a node is composed."""

    values: dict[str, yaml.Node]
    """Parameter values by name."""
    blocks: dict[str, tuple[yaml.Node, yaml.MappingNode]]
    """Block definitions by name: the name's key node and the definition."""
    files: tuple[Path, ...]
    """Included files open around this one, outermost first (the routine's own first)."""
    using: tuple[str, ...] = ()
    """Blocks being used around this point, outermost first."""


class Filler:
    """Declares parameters and fills them in, recording problems at the nodes they are about."""

    def __init__(self, document: Document):
        self.document = document
        self.problems: dict[Problem, None] = {}
        """Problems found so far, each once, in order."""
        self.made = 0
        """Values written out so far by blocks and includes."""

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.setdefault(self.document.problem(node, message))

    def parameters(self, node: yaml.Node | None, what: str) -> dict[str, tuple[yaml.Node, yaml.Node | None]]:
        """Declared parameters: name -> (key node, default node, or ``None`` when required)."""
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"'{what}' must be a mapping of names to default values, such as {{hold: 30s}}")
            return {}
        if len(node.value) > MAX_PARAMETERS:
            self.fail(node, f"'{what}' has {len(node.value)} parameters, over the limit of {MAX_PARAMETERS}")
            return {}
        out = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if not _NAME.fullmatch(name):
                self.fail(key, f"parameter name {cut(name)!r} must be lower-case letters, digits and _, like hold_time")
            elif name in RESERVED:
                self.fail(key, f"parameter name '{name}' is a placeholder routinecast fills; choose another name")
            else:
                null = isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null"
                out[name] = (key, None if null else value)
        return out

    def required(self, values: dict, declared: dict, at: yaml.Node | None, what: str, how: str) -> bool:
        """Whether every declared parameter has a value; report those without, at ``at`` or where declared.

        ``how`` says what to do; ``{name}`` in it becomes the parameter's name.
        """
        missing = [(name, key) for name, (key, _) in declared.items() if values.get(name) is None]
        for name, key in missing:
            self.fail(at or key, f"{what} needs a value for '{name}', which has no default; {how.format(name=name)}")
        return not missing

    def fill(self, node: yaml.Node, scope: Scope) -> yaml.Node:
        """``node`` with the parameters in scope filled in (a copy when anything changes)."""
        if not scope.values:
            return node
        if isinstance(node, yaml.ScalarNode):
            return self.fill_scalar(node, scope)
        if isinstance(node, yaml.SequenceNode):
            items = [self.fill(item, scope) for item in node.value]
            self.count(len(items), node)
            return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)
        if isinstance(node, yaml.MappingNode):
            if len(node.value) == 1 and node.flow_style and _bare(node, scope):  # {hold} unquoted: a placeholder
                return scope.values[node.value[0][0].value]
            pairs = [(self.fill(k, scope), self.fill(v, scope)) for k, v in node.value]
            self.count(len(pairs), node)
            return yaml.MappingNode(node.tag, pairs, node.start_mark, node.end_mark, node.flow_style)
        return node

    def fill_scalar(self, node: yaml.ScalarNode, scope: Scope) -> yaml.Node:
        if "{" not in node.value or node.tag != _STR:
            return node
        whole = _PLACEHOLDER.fullmatch(node.value)
        if whole and whole[1] in scope.values and scope.values[whole[1]] is not None:
            return scope.values[whole[1]]
        failed = False

        def value_of(match: re.Match) -> str:
            nonlocal failed
            name = match[1]
            value = scope.values.get(name) if name else None
            if value is None:
                return match[0]
            if not isinstance(value, yaml.ScalarNode):
                self.fail(node, f"parameter {{{name}}} is a list or a mapping; it can only be a whole value")
                failed = True
                return match[0]
            return value.value

        text = _PLACEHOLDER.sub(value_of, node.value)
        if failed or text == node.value:
            return node
        if len(text) > MAX_TEXT:
            self.fail(node, f"value is {len(text)} characters long once parameters are filled, over {MAX_TEXT}")
            return node
        return yaml.ScalarNode(_STR, text, node.start_mark, node.end_mark, node.style or '"')

    def count(self, made: int, node: yaml.Node) -> None:
        self.made += made
        if self.made > MAX_COMPOSED:
            self.fail(node, f"blocks and includes write the routine out to over {MAX_COMPOSED} values; use them less")
            raise RoutineError(list(self.problems))


def _bare(node: yaml.MappingNode, scope: Scope) -> bool:
    """Whether ``node`` is ``{name}`` written without quotes (YAML reads a mapping) for a parameter in scope."""
    key, value = node.value[0]
    return (
        isinstance(key, yaml.ScalarNode)
        and scope.values.get(key.value) is not None
        and isinstance(value, yaml.ScalarNode)
        and value.tag == "tag:yaml.org,2002:null"
        and not value.value
    )
