"""The progress display: one line on stderr, as wide as the terminal, one bar per phase of a build."""

from __future__ import annotations

import sys

from tqdm import tqdm

PHASES = {"speech": "speaking", "audio": "encoding"}
"""What each phase ``build`` reports is called on screen."""


class Bar:
    """A ``progress(phase, done, total)`` callable for ``build`` that draws with tqdm on stderr.

    A new phase closes the bar of the one before; ``close`` clears the line.
    """

    def __init__(self, name: str):
        self.name = name
        self.phase: str | None = None
        self.bar: tqdm | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            label = f"{self.name}: {PHASES.get(phase, phase)}"
            self.bar = tqdm(total=total, desc=label, file=sys.stderr, dynamic_ncols=True, leave=False, unit="")
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        """Remove the bar from the screen."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def wanted(quiet: bool) -> bool:
    """Whether to draw progress: not asked to be quiet, and stderr (where it is drawn) is a terminal."""
    return not quiet and sys.stderr.isatty()
