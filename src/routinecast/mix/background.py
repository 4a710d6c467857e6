"""The background bed: generated noise or a looped file, ducked under the foreground.

It is produced chunk by chunk, like the foreground, so a long session costs no
more memory than a short one. Ducking follows the timeline's sounding events
with raised-cosine ramps (the bed starts to dip shortly before a voice and
comes back slowly after it), so it never pumps or clicks.
"""

from __future__ import annotations

import bisect

import numpy as np

from ..model import Background
from ..script.timeline import Timeline
from ..sound import loudness
from ..sound.recordings import decode_audio

ATTACK_S = 0.25  # the bed dips this long before a sound starts
RELEASE_S = 0.8  # and comes back over this long after it ends
MERGE_S = 1.5  # sounds closer than this count as one, so the bed stays down between words
CROSSFADE_S = 1.0  # at the loop point of a file bed
# Pinking filter (Paul Kellet's economy version): white noise in, about -3 dB/octave out.
_PINK = ([0.049922035, -0.095993537, 0.050612699, -0.004408786], [1.0, -2.494956002, 2.017265875, -0.522189400])
# Leaky integrator: white in, about -6 dB/octave (brown) out, with no drift.
_BROWN = ([1.0], [1.0, -0.995])


class Bed:
    """Background samples for any stretch of the session, in order."""

    def __init__(self, spec: Background, timeline: Timeline, target_lufs: float):
        self.spec = spec
        self.rate = timeline.sample_rate
        self.total = timeline.length
        self.loop: np.ndarray | None = None
        if spec.file is not None:
            self.loop = _loopable(decode_audio(spec.file, self.rate), self.rate)
            calibration = self.loop
        else:
            self.noise = _Noise(spec.noise or "brown", seed=20240601)
            calibration = _Noise(spec.noise or "brown", seed=1).at(0, 10 * self.rate)
        self.gain = 10 ** ((target_lufs + spec.level_db - loudness.measure(calibration, self.rate)) / 20)
        self.spans = _merged_sounding(timeline)
        self.starts = [a for a, _ in self.spans]

    def _raw(self, start: int, n: int) -> np.ndarray:
        if self.loop is None:
            return self.noise.at(start, n)
        return self.loop[(start + np.arange(n)) % len(self.loop)]

    def chunk(self, start: int, n: int) -> np.ndarray:
        """The bed for samples ``start`` to ``start + n``."""
        envelope = self._duck(start, n) * self._fade(start, n)
        return (self._raw(start, n) * (self.gain * envelope)).astype(np.float32)

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


class _Noise:
    """Endless coloured noise that can be read from any sample on, the same however it is read.

    White noise comes in blocks, each from its own seed. A block is filtered
    from ``WARM_UP`` samples into the block before it, which brings the
    filter's state to where a run from the very start would have it (the
    filters forget far faster), so blocks join without a seam, and a session
    encoded in parts gets the same bed as one encoded in one go.
    """

    BLOCK = 1 << 16
    WARM_UP = 1 << 13

    def __init__(self, kind: str, seed: int):
        self.seed = seed
        self.filter = {"pink": _PINK, "brown": _BROWN}.get(kind)
        self.blocks: dict[tuple[str, int], np.ndarray] = {}  # the last few white and filtered blocks

    def at(self, start: int, n: int) -> np.ndarray:
        """Samples ``start`` to ``start + n``."""
        first, last = start // self.BLOCK, (start + n - 1) // self.BLOCK
        joined = np.concatenate([self._block(k) for k in range(first, last + 1)]) if n else np.zeros(0)
        offset = start - first * self.BLOCK
        return joined[offset : offset + n]

    def _block(self, k: int) -> np.ndarray:
        return self._cached("filtered", k, self._filtered)

    def _filtered(self, k: int) -> np.ndarray:
        white = self._white(k)
        if self.filter is None:
            return white
        from scipy.signal import lfilter  # heavy; only sessions with a noise bed need it

        before = self._white(k - 1)[-self.WARM_UP :] if k else np.zeros(0)
        return lfilter(*self.filter, np.concatenate([before, white]))[len(before) :]

    def _white(self, k: int) -> np.ndarray:
        def make(k: int) -> np.ndarray:
            return np.random.default_rng([self.seed, k]).standard_normal(self.BLOCK, dtype=np.float32)

        return self._cached("white", k, make)

    def _cached(self, kind: str, k: int, make) -> np.ndarray:
        if (kind, k) not in self.blocks:
            if len(self.blocks) >= 6:  # reading goes forward: the oldest block is done with
                del self.blocks[next(iter(self.blocks))]
            self.blocks[kind, k] = make(k)
        return self.blocks[kind, k]


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
