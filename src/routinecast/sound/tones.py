"""Synthesized sounds: bells and breathing tones, made from numbers (no asset files).

A bell is a few inharmonic partials, each decaying exponentially, with a soft
strike; a breath tone is a quiet sine glide that swells in over 40 ms (audible
at once, so it marks the start of the phase) and fades out over its last third.
Both start and end at zero, so they never click.
"""

from __future__ import annotations

import numpy as np

from ..model import BELLS

# Partials of a small bowl bell: ratio to the fundamental, relative amplitude, relative decay.
_PARTIALS = ((1.0, 1.0, 1.0), (2.76, 0.45, 0.6), (5.40, 0.25, 0.4), (8.93, 0.12, 0.25))
_TONES = {"rise": (196.0, 294.0), "fall": (294.0, 196.0)}
TONE_LEVEL_DB = -24.0
# Levels above are set for this programme loudness; other targets shift them alike.
REFERENCE_LUFS = -16.0
EDGE_MS = 5


def render_tone(name: str, ms: int, gain_db: float, sample_rate: int) -> np.ndarray:
    """Float32 samples of the bell preset or breath tone ``name``, ``ms`` long."""
    n = ms * sample_rate // 1000
    t = np.arange(n, dtype=np.float64) / sample_rate
    if name.startswith("bell-") and name[5:] in BELLS:
        preset = BELLS[name[5:]]
        base, level_db, decay = preset.pitch_hz, preset.level_db, preset.decay_s
        out = np.zeros(n)
        for ratio, amp, rel_decay in _PARTIALS:
            out += amp * np.sin(2 * np.pi * base * ratio * t) * np.exp(-t / (decay * rel_decay))
        strike = min(int(0.004 * sample_rate), n)  # a 4 ms strike instead of a hard edge
        out[:strike] *= np.linspace(0, 1, strike, endpoint=False)
        out /= np.max(np.abs(out)) or 1.0
    elif name in _TONES:
        start, end = _TONES[name]
        freq = start * (end / start) ** (t / max(t[-1], 1e-9)) if n else t
        phase = 2 * np.pi * np.cumsum(freq) / sample_rate
        envelope = np.ones(n)
        attack, release = min(int(0.04 * sample_rate), n // 4), n // 3
        envelope[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / max(attack, 1))
        envelope[n - release :] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(release) / max(release, 1))
        out = np.sin(phase) * envelope
        level_db = TONE_LEVEL_DB
    else:
        raise ValueError(f"unknown tone {name!r}")
    edge = min(sample_rate * EDGE_MS // 1000, n // 2)
    if edge:
        out[-edge:] *= np.linspace(1, 0, edge)
    return (out * 10 ** ((level_db + gain_db) / 20)).astype(np.float32)
