"""Coloured noise: the numpy one-pole filter against scipy's lfilter, and the colours' slopes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import lfilter, welch

from routinecast.sound.noise import ROW, Noise, one_pole


@pytest.mark.parametrize("pole", [0.995, 0.99765, 0.963, 0.57, 0.1])
@pytest.mark.parametrize("n", [0, 1, ROW - 1, ROW, 3 * ROW + 7, 73_728])
def test_one_pole_is_lfilter(pole, n):
    x = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    expected = lfilter([1.0], [1.0, -pole], x.astype(np.float64))
    got = one_pole(x, pole)
    assert got.dtype == np.float64 and got.shape == (n,)
    assert np.allclose(got, expected, rtol=0, atol=1e-12 * max(1.0, np.abs(expected).max(initial=0)))


@pytest.mark.parametrize(("colour", "slope"), [("white", 0.0), ("pink", -3.0), ("brown", -6.0)])
def test_each_colour_falls_by_its_slope_per_octave(colour, slope):
    rate = 44100
    noise = Noise(colour, seed=3).at(0, 40 * rate)
    freqs, power = welch(noise, fs=rate, nperseg=1 << 15)
    octaves = np.arange(0, 7.01, 0.5)  # 100 Hz to 12.8 kHz, every half octave
    levels = [10 * np.log10(power[(freqs >= f / 1.1) & (freqs < f * 1.1)].mean()) for f in 100 * 2**octaves]
    fitted, offset = np.polyfit(octaves, levels, 1)
    assert fitted == pytest.approx(slope, abs=0.25)
    assert np.abs(levels - (fitted * octaves + offset)).max() < 1.0  # no bumps along the way


def test_a_stretch_read_alone_is_the_stretch_read_in_order():
    whole = Noise("pink", seed=5).at(0, 3 * Noise.BLOCK)
    for start, n in [(Noise.BLOCK - 3, 9), (2 * Noise.BLOCK, 100), (12345, 2 * Noise.BLOCK)]:
        assert np.array_equal(Noise("pink", seed=5).at(start, n), whole[start : start + n])
