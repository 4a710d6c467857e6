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
        t = start + np.arange(n)
        envelope = self._duck(start, n) * self._fade(t)
        return (self._raw(start, n) * self.gain * envelope).astype(np.float32)

    def _fade(self, t: np.ndarray) -> np.ndarray:
        fade = max(self.spec.fade_ms * self.rate // 1000, 1)
        ramp = np.minimum(np.minimum(t, self.total - 1 - t) / fade, 1.0)
        return 0.5 - 0.5 * np.cos(np.pi * np.clip(ramp, 0.0, 1.0))

    def _duck(self, start: int, n: int) -> np.ndarray:
        depth = 1 - 10 ** (-self.spec.duck_db / 20)
        attack, release = int(ATTACK_S * self.rate), int(RELEASE_S * self.rate)
        amount = np.zeros(n)
        first = max(bisect.bisect_right(self.starts, start + n + attack) - 1, 0)
        index = first
        # Walk back over spans that may still be releasing into this chunk.
        while index > 0 and self.spans[index - 1][1] + release > start:
            index -= 1
        t = start + np.arange(n)
        for a, b in self.spans[index : first + 1]:
            if b + release < start or a - attack > start + n:
                continue
            rise = np.clip((t - (a - attack)) / attack, 0.0, 1.0)
            fall = np.clip(1 - (t - b) / release, 0.0, 1.0)
            shape = np.where(t < a, rise, np.where(t > b, fall, 1.0))
            amount = np.maximum(amount, 0.5 - 0.5 * np.cos(np.pi * shape))
        return 1 - depth * amount


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
        self.cached: tuple[int, np.ndarray] | None = None

    def at(self, start: int, n: int) -> np.ndarray:
        """Samples ``start`` to ``start + n``."""
        first, last = start // self.BLOCK, (start + n - 1) // self.BLOCK
        joined = np.concatenate([self._block(k) for k in range(first, last + 1)]) if n else np.zeros(0)
        offset = start - first * self.BLOCK
        return joined[offset : offset + n]

    def _block(self, k: int) -> np.ndarray:
        if self.cached is None or self.cached[0] != k:
            white = self._white(k)
            if self.filter is not None:
                from scipy.signal import lfilter  # heavy; only sessions with a noise bed need it

                before = self._white(k - 1)[-self.WARM_UP :] if k else np.zeros(0)
                white = lfilter(*self.filter, np.concatenate([before, white]))[len(before) :]
            self.cached = k, white
        return self.cached[1]

    def _white(self, k: int) -> np.ndarray:
        return np.random.default_rng([self.seed, k]).standard_normal(self.BLOCK)


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
