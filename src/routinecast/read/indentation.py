"""The shape of block YAML, read from its lines: what a line indented wrong should line up with.

PyYAML says only that it expected the end of a block; a writer needs to hear
which key or list item the line was meant to line up with, and in which column.
"""

from __future__ import annotations

import re

KEY = re.compile(r"([^\s#'\"{\[\]},&*!|>%@`-][^#:]{0,59}?)[ ]*(:)(?:[ \t]|$)")
"""A key written at the start of a line's content (group 1, at most 60 characters), and its ':' (group 2)."""
_DASH = re.compile(r"-(?:[ ]+|$)")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ ]*(?:#.*)?$")


def indent(line: str) -> int:
    """How many spaces ``line`` starts with."""
    return len(line) - len(line.lstrip(" "))


def open_blocks(lines: list[str], upto: int) -> list[tuple[int, str, int, str]]:
    """The lists and mappings still open after the lines before ``upto`` (0-based), outermost first.

    Each is (column, '-' for a list or ':' for a mapping, line of its latest item, its latest key).
    Only the shape of block YAML is read (keys and '-' at the start of lines), which is all
    a misplaced line is compared with; the text of '|' and '>' values is skipped.
    """
    found: list[tuple[int, str, int, str]] = []
    text_below = None  # the column of a '|' or '>' value's key: lines deeper than it are its text
    for number, line in enumerate(lines[:upto]):
        content, column = line.lstrip(" "), indent(line)
        if not content or content.startswith("#") or (text_below is not None and column > text_below):
            continue
        text_below = None
        while found and found[-1][0] > column:
            found.pop()
        while dash := _DASH.match(content):
            if found and found[-1][:2] == (column, "-"):
                found.pop()
            found.append((column, "-", number, "-"))
            if _BLOCK_SCALAR.match(content, dash.end()):
                text_below = column
            column, content = column + dash.end(), content[dash.end() :]
        key = KEY.match(content)
        if key:
            if found and found[-1][:2] == (column, ":"):
                found.pop()
            found.append((column, ":", number, key[1]))
            if _BLOCK_SCALAR.match(content[key.end() :].strip(" ")):
                text_below = column
    return found


def misplaced(lines: list[str], number: int, column: int, key: str | None, deeper: bool = False) -> str | None:
    """What to do with ``key`` (a list item when it is None) at ``column`` of line ``number``, or ``None``.

    The column suggested is that of the nearest mapping (or list) still open, the
    deeper of two as near: a key usually belongs with the one right above it.
    ``deeper``: the line is indented so far that YAML took it for more of the value above.
    """
    kind = "-" if key is None else ":"
    candidates = [b for b in open_blocks(lines, number) if b[1] == kind]
    if not candidates:
        return None
    near, _, line, name = min(candidates, key=lambda b: (abs(b[0] - column), -b[0]))
    if near == column:
        return None
    more = "more" if column > near else "less"
    if key is None:
        return (
            f"this list item is indented {more} than the '-' on line {line + 1}; "
            f"the items of one list start in the same column, so move it to column {near + 1}"
        )
    than = f"'{key}' is indented {more} than '{name}' on line {line + 1}"
    if deeper:
        return (
            f"{than}, so YAML reads it as more of the value above; "
            f"move it to column {near + 1} like '{name}', or put text that contains ': ' in quotes"
        )
    return f"{than}; the keys of one mapping start in the same column, so move it to column {near + 1}"
