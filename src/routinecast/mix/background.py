"""The background bed: generated noise or a looped file, ducked under the foreground.

It is produced chunk by chunk, like the foreground, so a long session costs no
more memory than a short one. Ducking follows the timeline's sounding events
with raised-cosine ramps (the bed starts to dip shortly before a voice and
comes back slowly after it), so it never pumps or clicks.
"""

from __future__ import annotations

import bisect

import numpy as np

from ..cache import ClipStore, clip_key, content_digest
from ..model import Background
from ..script.timeline import Timeline
from ..sound import loudness
from ..sound.noise import COLOURS, Noise
from ..sound.recordings import decode_audio
from ..speech.clips import to_pcm16

ATTACK_S = 0.25  # the bed dips this long before a sound starts
RELEASE_S = 0.8  # and comes back over this long after it ends
MERGE_S = 1.5  # sounds closer than this count as one, so the bed stays down between words
CROSSFADE_S = 1.0  # at the loop point of a file bed
SEED = 20240601  # of the noise a session hears
SAMPLE_SEED, SAMPLE_S = 1, 10  # of the noise whose loudness sets the level: another stretch of the same colour


class Bed:
    """Background samples for any stretch of the session, in order."""

    def __init__(self, spec: Background, timeline: Timeline, target_lufs: float, store: ClipStore | None = None):
        """The bed ``spec`` under ``timeline``, ``spec.level_db`` from ``target_lufs``.

        The bed's own loudness is remembered in ``store``, if given.
        """
        self.spec = spec
        self.rate = timeline.sample_rate
        self.total = timeline.length
        self.loop: np.ndarray | None = None
        if spec.file is not None:
            self.loop = _loopable(decode_audio(spec.file, self.rate), self.rate)
        else:
            self.noise = Noise(spec.noise or "brown", SEED)
        self.gain = 10 ** ((target_lufs + spec.level_db - bed_loudness(spec, self.rate, store, self.loop)) / 20)
        self.spans = _merged_sounding(timeline)
        self.starts = [a for a, _ in self.spans]

    def _raw(self, start: int, n: int) -> np.ndarray:
        if self.loop is None:
            return self.noise.at(start, n)
        return self.loop[(start + np.arange(n)) % len(self.loop)]

    def chunk(self, start: int, n: int) -> np.ndarray:
        """The bed for samples ``start`` to ``start + n``."""
        # In float32 throughout, whether the envelope is a number (flat) or an array, so that a stretch
        # comes out the same to the bit in any chunk.
        envelope = np.asarray(self.gain * self._duck(start, n) * self._fade(start, n), dtype=np.float32)
        return self._raw(start, n).astype(np.float32, copy=False) * envelope

    def _fade(self, start: int, n: int) -> np.ndarray | float:
        fade = max(self.spec.fade_ms * self.rate // 1000, 1)
        if (
            fade <= start and start + n <= self.total - fade
        ):  # the whole chunk is past the fade-in and before the fade-out
            return 1.0
        t = start + np.arange(n)
        ramp = np.minimum(np.minimum(t, self.total - 1 - t) / fade, 1.0)
        return 0.5 - 0.5 * np.cos(np.pi * np.clip(ramp, 0.0, 1.0))

    def _duck(self, start: int, n: int) -> np.ndarray | float:
        depth = 1 - 10 ** (-self.spec.duck_db / 20)
        attack, release = int(ATTACK_S * self.rate), int(RELEASE_S * self.rate)
        first = max(bisect.bisect_right(self.starts, start + n + attack) - 1, 0)
        index = first
        # Walk back over spans that may still be releasing into this chunk.
        while index > 0 and self.spans[index - 1][1] + release > start:
            index -= 1
        amount: np.ndarray | None = None
        end = start + n
        for a, b in self.spans[index : first + 1]:
            if b + release < start or a - attack > end:
                continue
            amount = np.zeros(n) if amount is None else amount
            # Each span's curve only where it is: rising before it, flat on it, falling after it.
            lo, hi = max(a - attack, start), min(a, end)
            if lo < hi:
                rise = (np.arange(lo, hi) - (a - attack)) / attack
                _raise(amount, lo - start, 0.5 - 0.5 * np.cos(np.pi * rise))
            lo, hi = max(a, start), min(b + 1, end)
            if lo < hi:
                amount[lo - start : hi - start] = 1.0
            lo, hi = max(b + 1, start), min(b + release + 1, end)
            if lo < hi:
                fall = 1 - (np.arange(lo, hi) - b) / release
                _raise(amount, lo - start, 0.5 - 0.5 * np.cos(np.pi * fall))
        return 1.0 if amount is None else 1 - depth * amount


def _raise(amount: np.ndarray, at: int, curve: np.ndarray) -> None:
    """``amount`` from ``at`` on becomes at least ``curve``."""
    np.maximum(amount[at : at + len(curve)], curve, out=amount[at : at + len(curve)])


def bed_loudness(spec: Background, rate: int, store: ClipStore | None = None, loop: np.ndarray | None = None) -> float:
    """The loudness (LUFS) of the bed ``spec`` at full level at ``rate``, remembered in ``store``, if given.

    ``loop`` is a file bed's audio made loopable, if it is at hand.
    """
    if spec.file is not None:
        loop = _loopable(decode_audio(spec.file, rate), rate) if loop is None else loop
        sample, identity = (lambda: loop), {"bed": content_digest(to_pcm16(loop))}
    else:
        colour = spec.noise or "brown"
        sample = lambda: Noise(colour, SAMPLE_SEED).at(0, SAMPLE_S * rate)  # noqa: E731
        identity = {"bed": colour, "filter": COLOURS[colour], "stretch": (SAMPLE_SEED, SAMPLE_S)}
    key = clip_key(loudness="bed", rate=rate, **identity)
    known = store.recall(key) if store else None
    if known is None:
        known = loudness.measure(sample(), rate)
        if store:
            store.remember(key, known)
    return known


def _merged_sounding(timeline: Timeline) -> list[tuple[int, int]]:
    gap = int(MERGE_S * timeline.sample_rate)
    spans: list[tuple[int, int]] = []
    for event in timeline.events:
        if event.kind == "silence":
            continue
        if spans and event.start - spans[-1][1] <= gap:
            spans[-1] = (spans[-1][0], event.end)
        else:
            spans.append((event.start, event.end))
    return spans


def _loopable(audio: np.ndarray, rate: int) -> np.ndarray:
    """``audio`` with its end crossfaded into its start, so playing it round and round has no seam."""
    fade = min(int(CROSSFADE_S * rate), len(audio) // 3)
    if fade < 2:
        return audio
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    body = audio[fade:].copy()
    body[-fade:] = body[-fade:] * (1 - ramp) + audio[:fade] * ramp
    return body
