"""What a file that cannot be read as YAML is told: not text at all, the wrong encoding, or broken syntax.

PyYAML's own messages name its tokens ('<block mapping start>') and say what
it expected, not what to do; here they are put in a routine writer's words,
with the fix that usually applies.
"""

from __future__ import annotations

import codecs
import re

import yaml

from .indentation import KEY, indent, misplaced

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


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Where a YAML syntax error in ``text`` starts (1-based line and column), and what to do about it.

    PyYAML reports where it gave up, which is not always where the mistake is: a
    quote left open is found at the next quote or the end of the file, a line
    indented too far at the ': ' after its key. Here the place is moved back to
    the mistake, and the message says how to fix it.
    """
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    problem = exc.problem or ""
    here = mark.line + 1, mark.column + 1
    opened = _runaway_quote(exc, text)
    if opened:
        return opened.line + 1, opened.column + 1, _UNCLOSED
    if problem == "found character '\\t' that cannot start any token":
        return *here, _tab(line, mark.column)
    if problem.startswith("mapping values are not allowed"):
        start = indent(line)
        key = KEY.match(line, start)
        if key and key.start(2) == mark.column:  # a key alone at the start of its line: indented too far
            moved = misplaced(lines, mark.line, start, key[1], deeper=True)
            if moved:
                return mark.line + 1, start + 1, moved
        return *here, _colon_in_text(line, mark.column)
    found = _name(problem) if problem.startswith("expected <block end>") else None
    if found in ("a key", "a new key"):
        key = KEY.match(line, mark.column)
        moved = misplaced(lines, mark.line, mark.column, key[1] if key else "this key")
        if moved:
            return *here, moved
    if found == "a list item":
        moved = misplaced(lines, mark.line, mark.column, None)
        if moved:
            return *here, moved
    bracket = exc.context_mark
    if problem.startswith("expected ',' or") and bracket and mark.line > bracket.line:
        # Back at the indentation of the line the bracket opens on, or at the end: the bracket was left open.
        if mark.line >= len(lines) or indent(line) <= indent(lines[bracket.line]):
            close, what = ("]", "list") if problem.startswith("expected ',' or ']'") else ("}", "mapping")
            unclosed = f"the '{lines[bracket.line][bracket.column]}' here is never closed"
            return bracket.line + 1, bracket.column + 1, f"{unclosed}; add '{close}' where the {what} ends"
    if found == "a value":
        quoted = _quote_inside(text, mark)
        if quoted:
            return quoted
    if problem.startswith("expected '<document start>'") and not re.search(r"(?m)^\.\.\.(\s|$)", text):
        first = next((n for n, x in enumerate(lines) if x.strip() and not x.lstrip().startswith("#")), 0)
        key = KEY.match(lines[first], indent(lines[first]))
        if lines[first].startswith(" ") and key:
            indented = f"'{key[1]}' is indented, but a routine's top-level keys start in column 1"
            return first + 1, 1, f"{indented}; remove the spaces before it"
    return *here, _reworded(exc)


_QUOTED = 60
"""Longest text a message quotes whole as the fix."""
_VALUE_STARTS = re.compile(r"[ ]*(?:-[ ]+)*(?:[^\s#'\"][^#]*?:[ ]+)?")
"""The start of a line up to where a value begins: indentation, list dashes, a key."""
_UNCLOSED = "the quoted text that starts here is never closed; add the closing quote where the text ends"


def _tab(line: str, column: int) -> str:
    """The message for a tab where YAML takes none: indenting, on a blank line, or after ':' or '-'."""
    before, after = line[:column], line[column:]
    if not line.strip(" \t"):
        return "this blank line holds a tab, which YAML does not allow in indentation; remove the tab"
    if not before.strip(" "):
        return "a tab is used here to indent; YAML indents with spaces only, so replace the tab with spaces"
    sign = before.rstrip(" \t")[-1:]
    if after.strip(" \t") and sign in (":", "-"):
        return f"a tab after '{sign}'; YAML separates with spaces only, so replace the tab with a space"
    return "a tab is used here where YAML takes only spaces; replace the tab with spaces"


def _colon_in_text(line: str, column: int) -> str:
    """The message for ': ' inside a value, with the value quoted when it is all on this line."""
    general = "found ': ' inside a text, where YAML reads it as a new key; put the whole text in quotes"
    start = indent(line)
    dashes = re.match(r"(?:-[ ]+)*", line[start:]).end()
    key = KEY.match(line, start + dashes)
    if not key or key.start(2) >= column:
        return general
    value = re.sub(r"[ \t]+#.*$", "", line[key.end() :]).strip()
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    if not value or value[0] in "\"'[{|>&*!" or len(quoted) > _QUOTED:
        return general
    return f"{general}, like this: {key[1]}: {quoted}"


def _runaway_quote(exc: yaml.MarkedYAMLError, text: str) -> yaml.Mark | None:
    """Where a quote opens that is never closed, when that is what the error is about, or ``None``.

    A quote left open runs on to the next quote of its kind, often lines below, or
    to the end of the file; PyYAML then fails at the text after that quote. That
    quote stands where a value starts (``- say: "Bye."``): it was meant to open one.
    """
    context, problem = exc.context or "", exc.problem or ""
    if context.startswith("while scanning a quoted scalar") and problem.startswith("found unexpected"):
        return exc.context_mark
    mark = exc.problem_mark
    if mark is None:
        return None
    before = _token_before(text, mark.index)
    quoted = isinstance(before, yaml.ScalarToken) and before.style in ('"', "'")
    if not quoted or not before.start_mark.line < before.end_mark.line == mark.line:
        return None
    end = before.end_mark
    opening = text[end.index - end.column : end.index - 1]  # its line before the quote that closed it
    return before.start_mark if _VALUE_STARTS.fullmatch(opening) else None


def _quote_inside(text: str, mark: yaml.Mark) -> tuple[int, int, str] | None:
    """Where and what to do when text follows a closing quote at ``mark``: a quote inside quoted text ended it."""
    before = _token_before(text, mark.index)
    if not isinstance(before, yaml.ScalarToken) or before.style not in ('"', "'"):
        return None
    if before.end_mark.index != mark.index:  # "Hi" there.
        return mark.line + 1, mark.column + 1, "found more text after the closing quote; put it inside the quotes"
    quote = before.style
    fix = "write it twice ('')" if quote == "'" else 'write it as \\"'
    other = "double" if quote == "'" else "single"
    inside = f"a {quote} inside text in {quote} quotes ends the text"
    return mark.line + 1, mark.column, f"{inside}; {fix}, or put the text in {other} quotes"


def _token_before(text: str, index: int) -> yaml.Token | None:
    """The last token PyYAML scans in ``text`` that starts before ``index``."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            last = token
    except yaml.YAMLError:
        pass
    return last


def _reworded(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's message for a syntax error in a routine writer's words, with the fix that usually applies."""
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
