"""Parsing and printing of the units routines are written in: durations and decibels."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?"
    r"(?:(?P<s>\d+(?:\.\d+)?)s)?(?:(?P<ms>\d+(?:\.\d+)?)ms)?$"
)
_SCALE = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}
_DB = re.compile(r"^(?P<v>[+-]?\d+(?:\.\d+)?)\s*(?:db)?$", re.IGNORECASE)

DURATION_HINT = "a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h"


def parse_duration_ms(value: object) -> int:
    """Milliseconds in ``value`` (seconds as a number, or a string with units).

    Raises ``ValueError`` with a user-facing reason; the result may be zero or
    negative, which callers judge for themselves.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"must be {DURATION_HINT}")
    if isinstance(value, (int, float)):
        return _to_ms(Decimal(str(value)) * 1000)
    text = str(value).strip().replace(" ", "").lower()
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        return sign * _to_ms(Decimal(text) * 1000)
    except InvalidOperation:
        pass
    match = _DURATION.match(text)
    if not text or not match or not any(match.groupdict().values()):
        raise ValueError(f"must be {DURATION_HINT}")
    total = sum(Decimal(v) * _SCALE[k] for k, v in match.groupdict().items() if v)
    return sign * _to_ms(total)


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
    seconds = ms / 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{int(hours)}h {int(minutes)}m {secs:.1f}s"
    if minutes:
        return f"{int(minutes)}m {secs:.1f}s"
    return f"{secs:.1f}s"


def format_clock(ms: float) -> str:
    """A clock position ``mm:ss.s`` (minutes may exceed 59)."""
    minutes, secs = divmod(ms / 1000, 60)
    return f"{int(minutes):02d}:{secs:04.1f}"
