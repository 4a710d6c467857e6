"""Parsing and printing of the units routines are written in: durations and decibels."""

from __future__ import annotations

import math
import re
from decimal import Decimal

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?"
    r"(?:(?P<s>\d+(?:\.\d+)?)s)?(?:(?P<ms>\d+(?:\.\d+)?)ms)?$"
)
_SCALE = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}
_SECONDS = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d{1,6})?")
_BELOW = {
    "h": (0, "hours", ""),
    "m": (60, "minutes", "1h30m"),
    "s": (60, "seconds", "1m30s"),
    "ms": (1000, "ms", "1s500ms"),
}
"""Per unit: the most it may count when a larger unit comes first, its name, and an example."""
_DB = re.compile(r"^(?P<v>[+-]?\d+(?:\.\d+)?)\s*(?:db)?$", re.IGNORECASE)

DURATION_HINT = "a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h"
MAX_DURATION_MS = 1000 * 3_600_000
"""Longest duration read at all (1000 hours); longer ones are typing slips, and would overflow arithmetic."""
_TOO_LONG = f"must be at most {MAX_DURATION_MS // 3_600_000}h"


_UNIT_WORDS = (
    ("ms", "milliseconds?|msecs?|ms"),
    ("h", "hours?|hrs?|h"),
    ("m", "minutes?|mins?|m"),
    ("s", "seconds?|secs?|s"),
)
_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(" + "|".join(f"(?P<{short}>{words})" for short, words in _UNIT_WORDS) + r")(?![a-z])", re.I
)
_PARTS = re.compile(rf"\s*(?:{_PART.pattern}\s*(?:,\s*)?(?:and\s+)?)+", re.I)
"""A length in words: one or more parts (``1 minute``, ``30 secs``), with commas or 'and' between them."""
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):([0-5]\d)")
"""A length written as a clock shows it: 1:30, 0:45, 1:30:00."""


def duration_in_words(text: str) -> str | None:
    """How a length written in words or as a clock is written as a duration, or ``None``.

    ``30 seconds`` is ``30s``, ``1 minute 30 seconds`` is ``1m30s``, ``2 mins`` is
    ``2m``, and ``1:30`` is ``1m30s``; ``None`` when ``text`` is neither, or already
    written right.
    """
    clock = _CLOCK.fullmatch(text.strip())
    if clock:
        counts = zip((clock[1] or "0", clock[2], clock[3]), "hms")
        better = "".join(f"{int(n)}{unit}" for n, unit in counts if int(n))
    elif _PARTS.fullmatch(text):
        better = "".join(part[1] + next(k for k, v in part.groupdict().items() if v) for part in _PART.finditer(text))
    else:
        return None
    if not better or better == text.replace(" ", "").lower():
        return None
    try:
        parse_duration_ms(better)
    except ValueError:
        return None
    return better


def parse_duration_ms(value: object) -> int:
    """Milliseconds in ``value`` (seconds as a number, or a string with units).

    Raises ``ValueError`` with a user-facing reason; the result may be zero or
    negative, which callers judge for themselves. Magnitudes are checked before
    any arithmetic, so no input is slow or overflows.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"must be {DURATION_HINT}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"must be {DURATION_HINT}")
        if abs(value) * 1000 > MAX_DURATION_MS:
            raise ValueError(_TOO_LONG)
        return _to_ms(Decimal(str(value)) * 1000)
    text = str(value).strip().replace(" ", "").lower()
    sign = -1 if text[:1] == "-" else 1
    text = text[1:] if text[:1] in ("-", "+") else text
    if text[:1] in ("-", "+"):
        raise ValueError(f"must be {DURATION_HINT}, with at most one sign")
    if _SECONDS.fullmatch(text):
        return sign * _to_ms(_bounded(Decimal(text), 1000))
    match = _DURATION.match(text)
    if not text or not match or not any(match.groupdict().values()):
        raise ValueError(f"must be {DURATION_HINT}")
    parts = {k: Decimal(v) for k, v in match.groupdict().items() if v}
    for unit, (limit, name, example) in _BELOW.items():
        larger = [u for u in parts if _SCALE[u] > _SCALE[unit]]
        if unit in parts and larger and parts[unit] >= limit:
            raise ValueError(f"must have under {limit} {name} after the {_BELOW[larger[-1]][1]}, like {example}")
    return sign * _to_ms(sum(_bounded(v, _SCALE[k]) for k, v in parts.items()))


def _bounded(value: Decimal, scale: int) -> Decimal:
    """``value * scale`` milliseconds, refused before multiplying when it would pass the limit."""
    if value.adjusted() > 20 or value * scale > MAX_DURATION_MS:
        raise ValueError(_TOO_LONG)
    return value * scale


def _to_ms(value: Decimal) -> int:
    if not value.is_finite():
        raise ValueError(f"must be {DURATION_HINT}")
    return int(value.to_integral_value())


def parse_db(value: object) -> float:
    """Decibels in ``value``: a number or a string like ``-6dB``."""
    if isinstance(value, bool) or value is None:
        raise ValueError("must be a level like -6dB")
    if isinstance(value, (int, float)):
        return float(value)
    match = _DB.match(str(value).strip())
    if not match:
        raise ValueError("must be a level like -6dB")
    return float(match["v"])


def format_ms(ms: float) -> str:
    """A human duration such as ``12m 5.3s`` or ``1h 2m 0.0s``."""
    hours, rest = divmod(ms, 3_600_000)  # whole units first, so a huge int never becomes a float
    minutes, rest = divmod(rest, 60_000)
    secs = rest / 1000
    if hours:
        return f"{int(hours)}h {int(minutes)}m {secs:.1f}s"
    if minutes:
        return f"{int(minutes)}m {secs:.1f}s"
    return f"{secs:.1f}s"


def format_clock(ms: float) -> str:
    """A clock position ``mm:ss.s`` (minutes may exceed 59)."""
    minutes, rest = divmod(ms, 60_000)
    secs = rest / 1000
    return f"{int(minutes):02d}:{secs:04.1f}"
