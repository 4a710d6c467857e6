"""The helper-process pool: helpers leave Ctrl-C to the build that started them."""

from __future__ import annotations

import os
import signal

from routinecast.pool import Pool, result


def test_helpers_ignore_ctrl_c_from_their_first_instruction():
    """Ctrl-C reaches the whole process group, helpers still importing their modules included."""
    before = signal.getsignal(signal.SIGINT)
    with Pool(2) as pool:
        first = pool.submit(os.getpid)
        for process in pool._executor._processes.values():
            os.kill(process.pid, signal.SIGINT)  # while it starts up
        assert result(first) in pool._executor._processes
        assert result(pool.submit(signal.getsignal, signal.SIGINT)) == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is before  # the build itself still hears it
