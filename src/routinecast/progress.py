"""The progress display: one line on stderr, as wide as the terminal, one bar per phase of a build."""

from __future__ import annotations

import sys

from tqdm import tqdm

PHASES = {"voice": "starting the voice", "speech": "speaking", "levelling": "levelling", "audio": "encoding"}
"""What each phase ``build`` reports is called on screen, in the order they come."""
FORMAT = "{desc} {percentage:3.0f}%|{bar}| {remaining}"
"""A bar without counts (lines, samples): the phase, how far, and the time left."""


def _bar(label: str, total: int, unit: str = "") -> tqdm:
    # dynamic_ncols: the line is cut to the terminal's width at every update, so it never wraps.
    return tqdm(total=total, desc=label, file=sys.stderr, dynamic_ncols=True, leave=False, unit=unit, bar_format=FORMAT)


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
            self.bar = _bar(f"{self.name}: {PHASES.get(phase, phase)}", total)
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        """Remove the bar from the screen."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.phase = None


class Batch:
    """The routines of a batch build counted on one line: how many are built, and which finished last."""

    def __init__(self, total: int):
        self.bar = _bar("building", total)

    def write(self, line: str, file=None) -> None:
        """Print ``line`` (a summary, an error) on ``file`` (default stdout) above the bar."""
        self.bar.write(line, file=file or sys.stdout)

    def done(self, name: str) -> None:
        """Count a finished routine."""
        self.bar.set_description_str(f"built {name}", refresh=False)
        self.bar.update()
        self.bar.refresh()  # each routine is shown, however soon the next one follows

    def close(self) -> None:
        """Remove the bar from the screen."""
        self.bar.close()


def wanted(quiet: bool) -> bool:
    """Whether to draw progress: not asked to be quiet, and stderr (where it is drawn) is a terminal."""
    return not quiet and sys.stderr.isatty()
