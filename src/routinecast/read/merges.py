"""YAML merge keys (``<<: *defaults``): the keys they bring, written into the mapping that asks for them."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from ..errors import Problem

Locate = Callable[[yaml.Node, str], Problem]
"""Makes the problem of a node: ``Document.problem``."""

_MERGE = "tag:yaml.org,2002:merge"


def merge_keys(problem: Locate, node: yaml.MappingNode) -> list[Problem]:
    """Replace each merge key in ``node``  with the keys it brings; the problems."""
    problems: list[Problem] = []
    _merge(problem, node, problems, set())
    return problems


def _merge(problem: Locate, node: yaml.MappingNode, problems: list[Problem], done: set[int]) -> None:
    """Replace each merge key (``<<: *defaults``) in ``node`` with the keys it brings, in place.

    Keys written in the mapping itself win over merged ones, and of several merged
    mappings (``<<: [*a, *b]``) the first listed wins, as YAML's merge key says.
    A merged mapping is flattened before it is used, so merges may nest.
    """
    if id(node) in done:
        return
    done.add(id(node))
    own = [(key, value) for key, value in node.value if key.tag != _MERGE]
    if len(own) == len(node.value):
        return
    written = {key.value for key, _ in own if isinstance(key, yaml.ScalarNode)}
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if key.tag != _MERGE:
            continue
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                message = "'<<' merges mappings only; write '<<: *name' for an anchored mapping"
                problems.append(problem(source, message))
                continue
            _merge(problem, source, problems, done)
            for pair in source.value:
                name = pair[0].value if isinstance(pair[0], yaml.ScalarNode) else None
                if name not in written:
                    written.add(name)
                    merged.append(pair)
    node.value = merged + own
