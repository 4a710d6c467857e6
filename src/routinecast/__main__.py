"""``python -m routinecast`` and the ``routinecast`` command."""

import signal
import sys

from .cli import main


def run() -> None:
    """Run the command line with the process's arguments and exit with its code.

    Once ``main`` has returned the work is over: a late Ctrl-C must not break into the interpreter's own
    shut-down (which joins helper processes) with a traceback and another exit code.
    """
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()
