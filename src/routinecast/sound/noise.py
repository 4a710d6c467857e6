"""Endless coloured noise (white, pink, brown) that can be read from any sample on.

The colouring filters are sums of one-pole low-passes, run here with numpy
alone: ``scipy.signal`` (whose ``lfilter`` does the same) took 1.2 to 1.4 s to
import in every process that makes a stretch of bed, as long as encoding ten
minutes of bed on one core. With the white noise, these cost per block what
``lfilter`` did for white and brown, and twice as much for pink (three poles):
the figures are in the README's *Speed and memory*. The tests check them
against ``lfilter``.
"""

from __future__ import annotations

from itertools import accumulate

import numpy as np

# Each colour is a sum of one-pole sections (pole, gain) plus a direct gain: y = direct*x + sum(gain * x/(1 - pole/z)).
COLOURS: dict[str, tuple[tuple[tuple[float, float], ...], float]] = {
    "white": ((), 1.0),
    # Paul Kellet's economy pinking filter: within 0.5 dB of -3 dB/octave from 100 Hz to 12.8 kHz (measured).
    "pink": (((0.99765, 0.0990460), (0.96300, 0.2965164), (0.57000, 1.0526913)), 0.1848),
    # A leaky integrator: -6 dB/octave (brown) above a few hertz, with no drift.
    "brown": (((0.995, 1.0),), 0.0),
}
ROW = 256  # one_pole works on rows this long: pole ** -ROW stays far from overflow for any pole above 0.07


def one_pole(x: np.ndarray, pole: float) -> np.ndarray:
    """``y[n] = x[n] + pole * y[n - 1]`` from rest, in float64, as ``scipy.signal.lfilter([1], [1, -pole], x)``.

    Within a row, ``y[i] = pole**i * (cumsum(x[j] * pole**-j) + pole * state)``, where ``state`` is the
    value the row before it ended on.
    """
    n = len(x)
    padded = np.zeros(-(-n // ROW) * ROW)
    padded[:n] = x
    powers = pole ** np.arange(ROW, dtype=np.float64)
    rows = padded.reshape(-1, ROW)
    rows /= powers
    np.cumsum(rows, axis=1, out=rows)
    # Each row's end from rest, then from the state the row before it ended on.
    decay, last = pole**ROW, powers[-1]
    ends = accumulate(rows[:-1, -1] * last, lambda state, end: end + decay * state)
    rows[1:] += pole * np.fromiter(ends, np.float64, len(rows) - 1)[:, None]
    rows *= powers
    return padded[:n]


class Noise:
    """Noise of one colour, the same however it is read.

    White noise comes in blocks, each from its own seed. A block is filtered
    from ``WARM_UP`` samples into the block before it, which brings the
    filter's state to where a run from the very start would have it (within
    4e-9 for pink's slowest pole, 1e-18 for brown's), so blocks join without a
    seam, and a session encoded in parts gets the same bed as one in one go.
    """

    BLOCK = 1 << 16
    WARM_UP = 1 << 13

    def __init__(self, colour: str, seed: int):
        self.seed = seed
        self.sections, self.direct = COLOURS[colour]
        self.blocks: dict[tuple[str, int], np.ndarray] = {}  # the last few white and filtered blocks

    def at(self, start: int, n: int) -> np.ndarray:
        """Samples ``start`` to ``start + n``, as float32."""
        first, last = start // self.BLOCK, (start + n - 1) // self.BLOCK
        offset = start - first * self.BLOCK
        if n <= 0:
            return np.zeros(0, dtype=np.float32)
        if first == last:
            return self._block(first)[offset : offset + n]
        return np.concatenate([self._block(k) for k in range(first, last + 1)])[offset : offset + n]

    def _block(self, k: int) -> np.ndarray:
        return self._cached("filtered", k, self._filtered)

    def _filtered(self, k: int) -> np.ndarray:
        white = self._white(k)
        if not self.sections:
            return white
        before = self._white(k - 1)[-self.WARM_UP :] if k else np.zeros(0, dtype=np.float32)
        x = np.concatenate([before, white])
        y = self.direct * x if self.direct else 0.0
        for pole, gain in self.sections:
            y = y + gain * one_pole(x, pole)
        return y[len(before) :].astype(np.float32)

    def _white(self, k: int) -> np.ndarray:
        def make(k: int) -> np.ndarray:
            return np.random.Generator(np.random.SFC64([self.seed, k])).standard_normal(self.BLOCK, dtype=np.float32)

        return self._cached("white", k, make)

    def _cached(self, kind: str, k: int, make) -> np.ndarray:
        if (kind, k) not in self.blocks:
            if len(self.blocks) >= 6:  # reading goes forward: the oldest block is done with
                del self.blocks[next(iter(self.blocks))]
            self.blocks[kind, k] = make(k)
        return self.blocks[kind, k]
