"""Compose a routine from its parts before it is validated: parameters, blocks and included files.

Composition works on the YAML node tree, so everything after it (validation,
messages) sees plain steps, and every node keeps the marks of the file and
line where its value is written: a value set by ``--set`` or by a block's
user points there, a step of an included file points into that file.

How parameters are filled is in :mod:`.parameters`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problem, RoutineError
from .document import Document, cut, read_document, read_value
from .fields import COMMA_IN_FLOW
from .parameters import Filler, Scope

MAX_INCLUDE_DEPTH = 10
"""Deepest nesting of included files, and of blocks used inside blocks."""
IGNORED_PREFIX = "x-"
"""Top-level keys starting with this are not read: a place to define anchors for merge keys."""

_BLOCK_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_STR = "tag:yaml.org,2002:str"


@dataclass
class Composition:
    """A routine file with its parameters filled, its blocks used and its includes read."""

    root: yaml.MappingNode
    """The routine's top-level mapping, with composed ``steps``."""
    lexicons: list[yaml.Node] = field(default_factory=list)
    """``lexicon`` nodes of included files, outermost include first; the routine's own wins over them."""
    bases: dict[str, Path] = field(default_factory=dict)
    """Folder of each file read, by the name its marks carry: relative paths in it are resolved there."""
    problems: list[Problem] = field(default_factory=list)
    """What is wrong with the parameters, blocks and includes; validation adds its own and reports them all."""


def compose(document: Document, given: Iterable[tuple[str, str]] = ()) -> Composition:
    """Fill parameters (``given`` as ``(name, YAML text)`` pairs override defaults), use blocks, read includes.

    Raises :class:`RoutineError` with every problem found.
    """
    composer = _Composer(document)
    root = composer.routine(document, given)
    return Composition(root, composer.lexicons, composer.bases, list(composer.problems))


class _Composer(Filler):
    """Reads includes and uses blocks, filling parameters as it goes."""

    def __init__(self, document: Document):
        super().__init__(document)
        self.lexicons: list[yaml.Node] = []
        self.bases = {document.name: document.path.resolve().parent}

    def routine(self, document: Document, given: Iterable[tuple[str, str]]) -> yaml.MappingNode:
        root = document.root
        if not isinstance(root, yaml.MappingNode):
            return root  # the validator says what a routine must be
        keys = _keys(root)
        declared = self.parameters(keys.get("parameters"), "parameters")
        values = {name: default for name, (_, default) in declared.items()}
        for name, text in given:
            if name not in declared:
                known = ", ".join(declared) or "none"
                hint = difflib.get_close_matches(name, declared, n=1)
                tip = f"did you mean '{hint[0]}'? " if hint else ""
                raise RoutineError(
                    f"--set {name}: {document.name} has no parameter '{name}'; {tip}its parameters: {known}"
                )
            values[name] = read_value(text, f"--set {name}")
        if not self.required(values, declared, None, "routine", "give it a default, or set it with --set {name}=VALUE"):
            raise RoutineError(list(self.problems))  # its placeholders cannot be filled: the rest would only echo that
        scope = Scope(values, self.blocks(keys.get("blocks")), (document.path.resolve(),))
        kept = []
        for key, value in root.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in ("parameters", "blocks") or (isinstance(name, str) and name.startswith(IGNORED_PREFIX)):
                continue
            composed = self.steps(value, scope) if name == "steps" else self.fill(value, scope)
            kept.append((key, composed))
        return yaml.MappingNode(root.tag, kept, root.start_mark, root.end_mark, root.flow_style)

    def blocks(self, node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.MappingNode]]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "'blocks' must be a mapping of block names to blocks, each with 'steps'")
            return {}
        out = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if not _BLOCK_NAME.fullmatch(name):
                self.fail(key, f"block name {cut(name)!r} must be lower-case letters, digits, - and _, like neck-roll")
                continue
            keys = _keys(value) if isinstance(value, yaml.MappingNode) else None
            if keys is None or "steps" not in keys:
                self.fail(value, f"block '{name}' must be a mapping with 'steps' (and optional 'parameters')")
                continue
            unknown = [k for k in keys if k not in ("steps", "parameters")]
            if unknown:
                self.fail(value, f"unknown key '{cut(unknown[0])}' in block '{name}'; allowed: parameters, steps")
                continue
            out[name] = (key, value)
        return out

    def steps(self, node: yaml.Node, scope: Scope) -> yaml.Node:
        """A list of steps with its includes read and its blocks used, every value filled."""
        if not isinstance(node, yaml.SequenceNode):
            return self.fill(node, scope)
        items: list[yaml.Node] = []
        for item in node.value:
            keys = _keys(item) if isinstance(item, yaml.MappingNode) else {}
            if "include" in keys:
                items.extend(self.include(item, keys, scope))
            elif "use" in keys:
                items.extend(self.use(item, keys, scope))
            elif keys:  # a step: its own nested steps (repeat, sides) may include and use too
                pairs = [
                    (k, self.steps(v, scope) if k.value == "steps" else self.fill(v, scope)) for k, v in item.value
                ]
                items.append(yaml.MappingNode(item.tag, pairs, item.start_mark, item.end_mark, item.flow_style))
            else:
                items.append(self.fill(item, scope))
        self.count(len(items), node)
        return yaml.SequenceNode(node.tag, items, node.start_mark, node.end_mark, node.flow_style)

    def use(self, item: yaml.MappingNode, keys: dict, scope: Scope) -> list[yaml.Node]:
        name_node = self.fill(keys["use"], scope)
        name = name_node.value if isinstance(name_node, yaml.ScalarNode) else ""
        if name not in scope.blocks:
            hint = difflib.get_close_matches(name, scope.blocks, n=1)
            tip = f"did you mean '{hint[0]}'?" if hint else f"blocks here: {', '.join(scope.blocks) or 'none'}"
            self.fail(name_node, f"no block named {cut(name)!r}; {tip}")
            return []
        if name in scope.using or len(scope.using) >= MAX_INCLUDE_DEPTH:
            chain = " -> ".join((*scope.using, name))
            self.fail(name_node, f"block '{name}' uses itself ({chain}); remove one of the uses")
            return []
        _, definition = scope.blocks[name]
        block = _keys(definition)
        declared = self.parameters(block.get("parameters"), f"blocks.{name}.parameters")
        defaults = {p: self.fill(default, scope) if default else None for p, (_, default) in declared.items()}
        values = {**scope.values, **defaults}
        pairs = [(key, value) for key, value in item.value if key.value != "use"]
        self.given(pairs, item, declared, values, scope, f"block '{name}'")
        if not self.required(values, declared, item, f"block '{name}'", "write '{name}: ...' beside 'use'"):
            return []
        inner = Scope(values, scope.blocks, scope.files, (*scope.using, name))
        steps = self.steps(block["steps"], inner)
        return list(steps.value) if isinstance(steps, yaml.SequenceNode) else [steps]

    def given(
        self, pairs: list, mapping: yaml.MappingNode, declared: dict, values: dict, scope: Scope, what: str
    ) -> None:
        """Fill ``values`` from the ``(key, value)`` ``pairs`` written in ``mapping`` for ``what``'s
        ``declared`` parameters; a key it does not declare is reported."""
        for key, value in pairs:
            if key.value not in declared:
                self.unknown(key, mapping, declared, what)
                continue
            values[key.value] = self.fill(value, scope)

    def unknown(self, key: yaml.Node, mapping: yaml.MappingNode, declared: dict, what: str) -> None:
        """Report ``key``, given for a parameter ``what`` does not declare."""
        hint = difflib.get_close_matches(str(key.value), declared, n=1)
        tip = f"did you mean '{hint[0]}'?" if hint else f"its parameters: {', '.join(declared) or 'none'}"
        if " " in str(key.value) and mapping.flow_style:  # {tip: Knees in, back flat} splits at the comma
            tip = COMMA_IN_FLOW
        self.fail(key, f"{what} has no parameter {cut(str(key.value))!r}; {tip}")

    def include(self, item: yaml.MappingNode, keys: dict, scope: Scope) -> list[yaml.Node]:
        unknown = [k for k in keys if k not in ("include", "with")]
        if unknown:
            self.fail(item, f"unknown key '{cut(unknown[0])}' in 'include' step; allowed: include, with")
            return []
        target = self.fill(keys["include"], scope)
        name = target.value if isinstance(target, yaml.ScalarNode) else None
        if not name or not isinstance(name, str):
            self.fail(target, "'include' must be the path of a routine file, relative to this one")
            return []
        here = target.start_mark.name
        shown_name = os.path.normpath(os.path.join(os.path.dirname(here), name))
        path = (self.bases.get(here, Path.cwd()) / name).resolve()
        if path in scope.files or len(scope.files) > MAX_INCLUDE_DEPTH:
            chain = " -> ".join(p.name for p in (*scope.files, path))
            self.fail(target, f"include cycle ({chain}); remove one of the includes")
            return []
        try:
            document = read_document(path, shown_name)
        except RoutineError as exc:
            if any(p.file == shown_name and "no such file" in p.message for p in exc.problems):
                self.fail(target, f"included file '{name}' not found (looked in {path.parent})")
            else:
                self.problems.update(dict.fromkeys(exc.problems))
            return []
        self.bases[shown_name] = path.parent
        root = document.root
        if not isinstance(root, yaml.MappingNode) or "steps" not in _keys(root):
            self.fail(target, f"included file '{name}' has no 'steps'; an included file is a routine with steps")
            return []
        own = _keys(root)
        declared = self.parameters(own.get("parameters"), f"{shown_name} parameters")
        values = {p: default for p, (_, default) in declared.items()}
        given = keys.get("with")
        if given is not None and not isinstance(given, yaml.MappingNode):
            self.fail(given, "'with' must be a mapping of the included file's parameters to values")
        if isinstance(given, yaml.MappingNode):
            self.given(given.value, given, declared, values, scope, f"included file '{name}'")
        if not self.required(values, declared, item, f"included file '{name}'", "write '{name}: ...' under 'with'"):
            return []
        inner = Scope(values, self.blocks(own.get("blocks")), (*scope.files, path))
        if "lexicon" in own:
            self.lexicons.append(own["lexicon"])
        steps = self.steps(own["steps"], inner)
        chapter = []
        if "title" in own:
            title = own["title"]
            section_key = yaml.ScalarNode(_STR, "section", title.start_mark, title.end_mark)
            chapter = [
                yaml.MappingNode("tag:yaml.org,2002:map", [(section_key, title)], title.start_mark, title.end_mark)
            ]
        return chapter + (list(steps.value) if isinstance(steps, yaml.SequenceNode) else [steps])


def _keys(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    """A mapping's values by key, for keys that are plain names."""
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode) and isinstance(k.value, str)}
