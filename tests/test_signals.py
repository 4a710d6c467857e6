"""A build's last steps: once the outputs are being renamed into place, no signal cuts them short."""

from __future__ import annotations

import os
import signal

from routinecast.signals import Finishing


def test_signals_are_ignored_from_start_to_the_end_of_the_block():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with Finishing() as finishing:
        assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before  # not yet
        finishing.start()
        os.kill(os.getpid(), signal.SIGINT)  # would raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)  # would end pytest
        finishing.start()  # twice is once: what is restored is what was there before
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
