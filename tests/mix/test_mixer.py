"""The mixer: streaming in chunks gives exactly what rendering the whole session at once gives."""

from __future__ import annotations

import numpy as np

from routinecast import plan
from routinecast.mix import mixer
from routinecast.mix.background import Bed


def test_streaming_equals_in_memory_render_with_bed(write, fake):
    path = write("""
        title: Stream
        background: {noise: pink, level: -25dB, duck: 12dB, fade: 1s}
        steps:
          - say: One line.
          - hold: 3s
            cues: [halfway]
          - bell
    """)
    planned = plan(path, fake)
    timeline = planned.timeline
    bed = lambda: Bed(planned.routine.background, timeline, -16.0)  # noqa: E731
    streamed = np.concatenate(list(mixer.stream(timeline, planned.bank, bed(), chunk=1000)))
    whole = mixer.render(timeline, planned.bank, bed())
    assert streamed.shape == whole.shape
    assert np.array_equal(streamed, whole)
