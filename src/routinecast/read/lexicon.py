"""Respellings that make the engine say domain words right; applied to speech only, in one pass.

The transcript and the timeline keep the routine's own spelling; only the text
sent to the engine is respelled. Respellings are lowercase and hyphenated
because espeak-ng spells out capital letters ("AH" becomes "ay aitch").

Words match whole and ignoring case and the spaces between them. The text is
cut once into words and single marks, and walked against a tree of the
lexicon's entries, so applying it takes time in proportion to the text (times
the most pieces in one entry, which ``text.MAX_LEXICON_WORD`` bounds), and what
a respelling puts in is never looked at again: entries cannot feed each other.
Case is compared by ``str.casefold`` piece by piece, never by a regular
expression's own rules, so a piece whose folded form differs in length
("İ" is "i" and a dot, "ß" is "ss", the long s is "s") still finds its entry
or none, never a missing one.
"""

from __future__ import annotations

import re
from functools import lru_cache

BUILTIN: dict[str, str] = {
    "psoas": "soh-us",
    "iliopsoas": "illy-oh-soh-us",
    "iliacus": "illie-uh-kus",
    "trochanter": "tro-kanter",
    "anjaneyasana": "ahn-jah-nay-ah-sah-nah",
    "savasana": "shah-vah-sah-nah",
    "supta": "soop-tah",
    "padangusthasana": "pah-dahn-goosh-tah-sah-nah",
    "setu bandha": "say-too bahn-dah",
    "virabhadrasana": "veer-ah-bah-drah-sah-nah",
    "vrksasana": "vrik-shah-sah-nah",
    "ustrasana": "oosh-trah-sah-nah",
    "svanasana": "svah-nah-sah-nah",
    "adho mukha": "ah-doh moo-kah",
    "tadasana": "tah-dah-sah-nah",
    "balasana": "bah-lah-sah-nah",
    "pranayama": "prah-nah-yah-mah",
    "ujjayi": "oo-jai-ee",
    "bhujangasana": "boo-jahng-gah-sah-nah",
    "setu bandhasana": "say-too bahn-dah-sah-nah",
    "utthita hasta": "oot-tee-tah hah-stah",
    "kapotasana": "kah-poh-tah-sah-nah",
    "pilates": "pih-lah-teez",
}


BY_ENGINE: dict[str, dict[str, str]] = {
    # Piper's espeak-ng stresses every hyphenated piece ("SHAH-VAH-SAH-NAH"); its own phoneme
    # blocks give the stress and the reduced vowels. The letter g is U+0261 there.
    "piper": {
        "psoas": "[[ sˈoʊəs ]]",
        "iliopsoas": "[[ ˌɪliʲoʊsˈoʊəs ]]",
        "iliacus": "[[ ɪlˈaɪəkəs ]]",
        "trochanter": "[[ tɹoʊkˈæntɚ ]]",
        "anjaneyasana": "[[ ˌɑːndʒəneɪˈɑːsənə ]]",
        "savasana": "[[ ʃəvˈɑːsənə ]]",
        "supta": "[[ sˈuːptə ]]",
        "padangusthasana": "[[ pˌɑːdɑːŋɡuːʃtˈɑːsənə ]]",
        "setu bandha": "[[ sˈeɪtuː bˈɑːndə ]]",
        "virabhadrasana": "[[ vˌɪɹəbədɹˈɑːsənə ]]",
        "vrksasana": "[[ vɹɪkʃˈɑːsənə ]]",
        "ustrasana": "[[ uːʃtɹˈɑːsənə ]]",
        "svanasana": "[[ ʃvɑːnˈɑːsənə ]]",
        "adho mukha": "[[ ˈɑːdoʊ mˈuːkə ]]",
        "tadasana": "[[ tɑːdˈɑːsənə ]]",
        "balasana": "[[ bɑːlˈɑːsənə ]]",
        "pranayama": "[[ pɹˌɑːnəjˈɑːmə ]]",
        "ujjayi": "[[ uːdʒˈaɪiː ]]",
        "bhujangasana": "[[ bˌuːdʒɑːŋɡˈɑːsənə ]]",
        "setu bandhasana": "[[ sˈeɪtuː bɑːndˈɑːsənə ]]",
        "utthita hasta": "[[ ʊtˈiːtə hˈɑːstə ]]",
        "kapotasana": "[[ kˌɑːpoʊtˈɑːsənə ]]",
        "pilates": "[[ pɪlˈɑːtiːz ]]",
    }
}
"""Built-in respellings for one engine only, overriding ``BUILTIN`` for it: ``{engine: {word: respelling}}``.
Piper takes phonemes in ``[[ ]]``; checked with its en-US voices' phoneme tables."""

Lexicon = tuple[tuple[str, str, str], ...]
"""``(word, engine, respelling)`` entries, sorted; an engine of ``""`` means every engine."""


def merge(own: dict[str, dict[str, str]]) -> Lexicon:
    """The built-in lexicon with a routine's entries (``{word: {engine or "": respelling}}``) added; a
    routine's word replaces every built-in respelling of the same :func:`entry`."""
    merged: dict[tuple, tuple[str, dict[str, str]]] = {}
    for word, spelling in BUILTIN.items():
        merged[entry(word)] = (word, {"": spelling})
    for engine, words in BY_ENGINE.items():
        for word, spelling in words.items():
            merged.setdefault(entry(word), (word, {}))[1][engine] = spelling
    merged.update({entry(word): (word, spellings) for word, spellings in own.items()})
    return tuple(
        sorted(
            (word, engine, spelling) for word, spellings in merged.values() for engine, spelling in spellings.items()
        )
    )


def for_engine(lexicon: Lexicon, engine: str | None) -> tuple[tuple[str, str], ...]:
    """``(word, respelling)`` pairs for ``engine``: its own respelling of a word, else the one for every engine."""
    chosen: dict[str, str] = {}
    for word, named, spelling in lexicon:
        if named == engine or (named == "" and word not in chosen):
            chosen[word] = spelling
    return tuple(sorted(chosen.items()))


def entry(word: str) -> tuple[tuple[str, str], ...]:
    """What a lexicon word matches: its pieces (words and single marks), case-folded, each with the gap
    before it ("" when it touches the previous piece, " " for any run of spaces)."""
    parts = _SPLIT.split(word)
    return tuple(
        (" " if gap and index else "", piece.casefold())
        for index, (gap, piece) in enumerate(zip(parts[::2], parts[1::2]))
    )


def respell(text: str, lexicon: tuple[tuple[str, str], ...]) -> str:
    """``text`` with every whole-word, case-insensitive lexicon match replaced, leftmost and longest first."""
    if not lexicon:
        return text
    tree = _tree(lexicon)
    parts = _SPLIT.split(text)  # gap, piece, gap, ..., piece, gap: the gaps are spaces or nothing
    pieces, gaps = parts[1::2], parts[0::2]
    folded = [piece.casefold() for piece in pieces]
    starts = [i for i, piece in enumerate(folded) if piece in tree]  # where an entry may start
    pieces.append("")  # an empty last piece ends every walk, and is no word
    folded.append("")
    out, done, free = [], 0, 0
    for i in starts:
        # A word piece is whole by construction; a mark must not touch a word on the left ("x.net").
        if i < free or (i and not gaps[i] and _WORD.match(pieces[i - 1])):
            continue
        node, j, end = tree[folded[i]], i, None
        while node is not None:
            if _END in node and (gaps[j + 1] or not _WORD.match(pieces[j + 1])):
                end, spelling = j, node[_END]
            j += 1
            node = node.get((" " if gaps[j] else "", folded[j]))
        if end is not None:
            out += (*parts[done : 2 * i + 1], spelling)
            done, free = 2 * end + 2, end + 1
    out += parts[done:]
    return "".join(out)


_SPLIT = re.compile(r"(\w+|[^\w\s])")
_WORD = re.compile(r"\w")
_END = None
"""The key, in a node of the tree, of the respelling of the entry that ends there (other keys are pieces)."""


@lru_cache(maxsize=16)
def _tree(lexicon: tuple[tuple[str, str], ...]) -> dict:
    # One node per piece of an entry, keyed by (gap, piece) below the first: walking the text's pieces
    # down it finds every entry that starts at a piece.
    root: dict = {}
    for word, spelling in lexicon:
        first, *rest = entry(word)
        node = root.setdefault(first[1], {})
        for piece in rest:
            node = node.setdefault(piece, {})
        node[_END] = spelling
    return root
