"""PyYAML's safe loader, bounded: no file can make composing its node tree slow, huge or endlessly deep."""

from __future__ import annotations

import re
from typing import Any

import yaml

YAML_TAG = "tag:yaml.org,2002:"
"""The prefix of YAML's own tags."""
MAX_NODES = 10_000
"""Most values (scalars, lists, mappings) a routine may hold, counting every value an alias repeats.

This bounds the work of everything after parsing: a few hundred bytes of nested
aliases ("billion laughs") would otherwise stand for billions of values. Parsing
takes about 40 microseconds a value, so this also bounds parse time.
"""
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings (each ``repeat`` or ``sides`` adds two levels)."""
_NUMBERS = (YAML_TAG + "int", YAML_TAG + "float")
_ALIASES_TOO_BIG = f"aliases expand the routine to over {MAX_NODES} values; write the values out or use fewer aliases"
_TOO_BIG = f"routine has over {MAX_NODES} values; split it into smaller routines"


class LimitError(Exception):
    """Composing stopped at ``mark``: a limit was crossed or a value cannot be read."""

    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded by ``MAX_DEPTH`` and ``MAX_NODES``, and without dates.

    Its marks carry the file's name as the user gave it, so a node read from an
    included file is reported in that file.

    Every value is counted as it is composed; an alias counts all the values it
    repeats (``sizes``), so the count is what a walk of the tree would visit.
    An alias to a value still being composed (``open``) would make a cycle.
    """

    # YAML 1.1's surprises read as the text written, as YAML 1.2 (and editors) read them: dates, and numbers
    # in base 60 (1:30 would be 90). A leading zero (010, octal 8) is refused by document._scalar_problem.
    yaml_implicit_resolvers = {
        first: [
            (tag, re.compile("(?!.*:)" + regex.pattern, regex.flags) if tag in _NUMBERS else regex)
            for tag, regex in resolvers
            if tag != YAML_TAG + "timestamp"
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str, name: str):
        super().__init__(stream)
        self.name = name
        self.depth = 0
        self.nodes = 0
        self.sizes: dict[str, int] = {}
        self.open: set[str] = set()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        anchor = event.anchor
        if isinstance(event, yaml.AliasEvent):
            if anchor in self.open:
                raise LimitError(
                    event.start_mark,
                    f"recursive alias '*{anchor}' (its value would contain itself); write the values out",
                )
            self._count(event, self.sizes.get(anchor, 0), _ALIASES_TOO_BIG)
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(event.start_mark, f"lists and mappings nested over {MAX_DEPTH} deep; flatten them")
        start = self.nodes
        self._count(event, 1, _TOO_BIG)
        if anchor is not None:
            self.open.add(anchor)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self.open.discard(anchor)
            self.sizes[anchor] = self.nodes - start
        self.depth -= 1
        return node

    def _count(self, event: yaml.Event, size: int, message: str) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise LimitError(event.start_mark, message)

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except ValueError:  # chr() of an escape past U+10FFFF; the reader stands on its hex digits
            mark = self.get_mark()
            mark.column -= 2
            message = f"escape \\U{self.prefix(8)} is past the last character \\U0010FFFF; fix it"
            raise LimitError(mark, message) from None
