"""The voice chain: the limiter's ceiling holds for any signal; the compressor only turns loud parts down."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from routinecast.sound import loudness


@settings(max_examples=40, deadline=None)
@given(arrays(np.float32, st.integers(10, 3000), elements=st.floats(-1, 1, width=32)), st.floats(-12, -1))
def test_limiter_never_exceeds_its_ceiling(audio, ceiling):
    out = loudness.limit(audio, 8000, ceiling)
    assert out.shape == audio.shape
    peak = loudness.true_peak_envelope(out, 8000).max(initial=0.0)
    # 4x-oversampled peaks of the output stay at the ceiling (a hair of resampler ripple allowed)
    assert peak <= 10 ** (ceiling / 20) * 1.02
    assert np.all(np.abs(out) <= np.abs(audio) + 1e-7)  # it only ever turns down


def test_compressor_turns_down_only_what_is_loud():
    rate = 8000
    quiet = 0.01 * np.sin(np.arange(rate) / 3).astype(np.float32)  # about -43 dBFS: below threshold
    loud = 0.8 * np.sin(np.arange(rate) / 3).astype(np.float32)  # about -5 dBFS: above it
    assert np.allclose(loudness.compress(quiet, rate), quiet, atol=1e-6)
    squeezed = loudness.compress(loud, rate)
    level = 20 * np.log10(np.sqrt(np.mean(squeezed[rate // 4 : -rate // 4] ** 2)))
    # 3:1 above -26 dBFS: about -5 dB in comes out near -26 + 21/3 = -19 dB
    assert -20.5 < level < -17.5


def test_measure_short_and_silent_audio():
    rate = 8000
    tone = 0.1 * np.sin(2 * np.pi * 1000 * np.arange(rate // 10) / rate)  # 100 ms: shorter than a gating block
    assert -40 < loudness.measure(tone, rate) < -10
    assert loudness.measure(np.zeros(rate), rate) == -70.0
