"""Text a routine speaks or shows: cleaned once, at read time, checked and bounded.

Every text that is spoken or shown (lines, cue words, side names, respellings,
titles, names, the description) is cleaned as it is read, so the engine, the
speech cache's keys, the transcript, the timeline and the tags all see the
same characters:
composed (NFC), without invisible format characters (Unicode category Cf:
zero-width spaces and joiners, byte-order marks, word joiners, soft hyphens,
bidirectional overrides and isolates), and with each run of spaces and line
breaks made one space. Control characters never get this far: ``document``
refuses them wherever they are written.

A line to speak must keep a letter or a digit: espeak-ng gives silence for a
line of punctuation, and an empty clip cannot be levelled, timed or heard.
The limits below bound the tag texts (a megabyte title is a mistake, and every
player would show it) and what one line and a whole session give the engine.
"""

from __future__ import annotations

import re
import string
import unicodedata

from .document import MAX_TEXT

MAX_TITLE = 200
"""Longest title, of the session (the ID3 title) or of a section (a chapter); players show about a line."""
MAX_NAME = 100
"""Longest author, album or genre name (ID3 artist, album and genre)."""
MAX_DESCRIPTION = 2_000
"""Longest description (the ID3 comment); line breaks are kept in it."""
MAX_FILL = 100
"""Longest side name or number word: the values that fill ``{side}`` and ``{n}`` in longer lines."""
MAX_SPOKEN = MAX_TEXT
"""Longest line the engine is given, once placeholders are filled and the lexicon applied.

The same as the longest value a routine may hold: a build's memory and time for
one such line (some 7 minutes of speech) bound those of every line.
"""
MAX_SESSION_SPOKEN = 1_000_000
"""Most characters a whole session may give the engine, every repeat counted: some 14 hours of
speech at the default rate (about 1,200 characters a minute), more than the longest session.
Expanding a routine stops here, so repeats of long lines cannot keep it busy for long."""
MAX_LEXICON = 500
"""Most entries a routine's own lexicon may have."""
MAX_LEXICON_WORD = 100
"""Longest word (or phrase) a lexicon entry respells; it bounds the work of matching at each word."""
MAX_RESPELLING = 200
"""Longest respelling in a lexicon entry."""

# A letter or a digit (\w without the underscore): something espeak-ng says as speech.
_WORDS = re.compile(r"[^\W_]")
INVISIBLE = "has only invisible characters (such as zero-width spaces); write some words or remove it"
"""What is said of a text that cleaning leaves empty, after the field's name."""
_UNSPOKEN = "has nothing to speak, only punctuation or symbols; write some words or remove it"


def clean_text(text: str, lines: bool = False) -> str:
    """``text`` without format characters (Cf), in NFC, with whitespace runs made one space, trimmed.

    With ``lines``, line breaks are kept (each line cleaned, trailing and
    leading blank lines dropped), for texts shown as paragraphs.
    """
    if not text.isascii():  # ASCII has no format characters and is already NFC
        # Removed before composing: a joiner between a letter and its accent would keep them apart.
        text = unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Cf"))
    if lines:
        return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip("\n")
    return " ".join(text.split())


def nothing_to_say(template: str) -> str | None:
    """Why the cleaned line ``template`` would give the engine nothing to say, or ``None``.

    A placeholder always brings words (side names and number words are checked
    themselves, rounds are digits), so only a line without one can be silent.
    ``template``'s braces must already be checked (``Fields.placeholders``).
    """
    parts = list(string.Formatter().parse(template))
    if any(name is not None for _, name, _, _ in parts):
        return None
    if _WORDS.search("".join(literal for literal, _, _, _ in parts)):
        return None
    return _UNSPOKEN


def length_problem(text: str, limit: int) -> str | None:
    """Why ``text`` is too long for a field limited to ``limit`` characters (to follow its name), or ``None``."""
    if len(text) <= limit:
        return None
    return f"is {len(text)} characters long, over the limit of {limit}; shorten it"
