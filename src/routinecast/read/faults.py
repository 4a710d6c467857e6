"""What a file that cannot be read as YAML is told: not text at all, the wrong encoding, or broken syntax.

PyYAML's own messages name its tokens ('<block mapping start>') and say what
it expected, not what to do; here they are put in a routine writer's words,
with the fix that usually applies.
"""

from __future__ import annotations

import codecs
import re

import yaml

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: it starts with the UTF-16 little-endian mark
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SNIFF = 1024
"""Bytes looked at to tell text from binary data."""

_TOKENS = {
    "'<block end>'": "the end of the block",
    "'<block mapping start>'": "a new key",
    "'<block sequence start>'": "a list item",
    "'<scalar>'": "a value",
    "'?'": "a key",
    "'-'": "a list item",
    "'<stream end>'": "the end of the file",
    "'<document start>'": "'---'",
    "'<document end>'": "'...'",
    "'<alias>'": "an alias",
    "'<anchor>'": "an anchor",
    "'<tag>'": "a tag",
}


def not_text(data: bytes) -> str | None:
    """Why ``data`` cannot be a routine when it is plainly not UTF-8 text, or ``None``.

    A stray byte in a text file is reported where it is, by the reader; this
    catches whole files: UTF-16 or UTF-32 text, and binary files (an MP3 or an
    image given by mistake), for which "remove this character" would be no help.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return f"file is saved as {encoding}, not UTF-8; save it as UTF-8"
    head = data[:_SNIFF]
    evens, odds = head[0::2], head[1::2]
    if len(head) >= 4 and _mostly_zero(evens) != _mostly_zero(odds):  # ASCII in UTF-16: every other byte is 0
        return "file is saved as UTF-16, not UTF-8; save it as UTF-8"
    # Control characters, not bytes that are not UTF-8: those are text in another encoding, the
    # reader's message for which ("save it as UTF-8") is the right one.
    text = head.decode("utf-8", "replace")
    controls = sum(c < " " and c not in "\t\n\r" for c in text)
    if controls >= 4 and controls * 20 > len(text):  # text has none; any binary format has plenty
        return "file is binary data, not text; name the routine's YAML file (is this an audio or image file?)"
    return None


def _mostly_zero(data: bytes) -> bool:
    return data.count(0) * 10 >= len(data) * 9


def syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """The message for a YAML syntax error, with what to do about it."""
    problem, context = exc.problem or "", exc.context or ""
    opened = exc.context_mark
    at = f"line {opened.line + 1}, column {opened.column + 1}" if opened else "above"
    if context.startswith("found duplicate anchor"):
        return context.replace("; first occurrence", f" (first at line {opened.line + 1})")
    if problem.startswith("but found another document"):
        return "found a second document ('---'); a routine is one document, so remove the second"
    if "cannot start any token" in problem:
        if "'\\t'" in problem:
            return "a tab is used here to indent; YAML indents with spaces only, so replace the tab with spaces"
        return f"{problem}; put text that starts with it in quotes"
    if problem.startswith("mapping values are not allowed"):
        return "found ': ' inside a value; put text that contains ': ' in quotes, or check the indentation"
    if problem.startswith("expected <block end>"):
        if problem.endswith("'<scalar>'"):
            return "found more text after a complete value; put the whole text in quotes"
        if problem.endswith(("']'", "'}'")):
            return f"found {_name(problem)}, which closes nothing; remove it or add the opening bracket"
        return f"found {_name(problem)} at the wrong indentation; line it up with the lines it belongs with"
    if problem.startswith("expected ',' or"):
        bracket = "[" if "]" in problem else "{"
        return (
            f"expected ',' or '{'}' if bracket == '{' else ']'}' but found {_name(problem)}; "
            f"close the '{bracket}' opened at {at}, and put text with ':' or ',' in quotes"
        )
    if context.startswith("while scanning a quoted scalar") and problem.startswith("found unexpected"):
        return "the quoted text that starts here is never closed; add the closing quote where the text ends"
    if context.startswith("while scanning a simple key"):
        return f"no ': ' after the key at {at}; a key is one line of at most 1024 characters, then ': '"
    if context.startswith(("while scanning an anchor", "while scanning an alias")):
        return f"{problem}; write the name right after '&' or '*', or put text that starts with them in quotes"
    if context.startswith("while scanning a block scalar"):
        return f"{problem}; after '|' or '>' only '-', '+' or a digit may follow, and the text starts on the next line"
    if context.startswith("while scanning a directive") or "YAML directive" in problem or "YAML document" in problem:
        return f"{problem}; remove the line starting with '%'"
    if problem.startswith("found undefined alias"):
        return f"{problem}; define it first with '&', or put text that starts with '*' in quotes"
    if problem.startswith("found undefined tag handle"):
        return f"{problem}; a routine is plain YAML data, so remove the tag"
    if problem.startswith("found unknown escape character"):
        return f"{problem}; write \\\\ for a backslash in double quotes, or use single quotes"
    if problem.startswith("expected '<document start>'"):
        return f"found {_name(problem)} after the end of the document ('...'); remove the '...' line"
    what = problem or context or "cannot parse"
    for token, name in _TOKENS.items():
        what = what.replace(token, name)
    return what


def _name(problem: str) -> str:
    """What PyYAML found, from the end of its message, in plain words."""
    match = re.search(r"but (?:found|got) (.+)$", problem)
    found = match[1] if match else "something else"
    return _TOKENS.get(found, found)
