"""Respellings that make the engine say domain words right; applied to speech only.

The transcript and the timeline keep the routine's own spelling; only the text
sent to the engine is respelled. Respellings are lowercase and hyphenated
because espeak-ng spells out capital letters ("AH" becomes "ay aitch").
"""

from __future__ import annotations

import re
from functools import lru_cache

BUILTIN: dict[str, str] = {
    "psoas": "soh-us",
    "iliopsoas": "illy-oh-soh-us",
    "iliacus": "illy-ack-us",
    "trochanter": "tro-kan-ter",
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
}


def merge(own: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The built-in lexicon with a routine's entries added or overriding (keys lowercased)."""
    merged = dict(BUILTIN)
    merged.update({key.lower(): value for key, value in own.items()})
    return tuple(sorted(merged.items()))


def respell(text: str, lexicon: tuple[tuple[str, str], ...]) -> str:
    """``text`` with every whole-word, case-insensitive lexicon match replaced."""
    if not lexicon:
        return text
    pattern, table = _compile(lexicon)
    return pattern.sub(lambda m: table[m.group(0).lower()], text)


@lru_cache(maxsize=16)
def _compile(lexicon: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    # Longest keys first, so "setu bandha" wins over a shorter overlapping entry.
    keys = sorted((key for key, _ in lexicon), key=len, reverse=True)
    words = "|".join(re.escape(key).replace(r"\ ", r"\s+") for key in keys)
    pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
    table = dict(lexicon)
    # Matches with other inner whitespace ("setu  bandha") must still find their entry.
    return pattern, _WhitespaceFolding(table)


class _WhitespaceFolding(dict):
    def __missing__(self, key: str) -> str:
        return self[" ".join(key.split())]
