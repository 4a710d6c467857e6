"""The error hierarchy: one root, a few kinds, each with its exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a place a user can jump to."""

    file: str
    """Path of the file as the user named it."""
    line: int
    """1-based line number."""
    col: int
    """1-based column number."""
    message: str
    """What is wrong and what to do about it, in one sentence."""

    def __str__(self) -> str:
        # One line per problem, whatever a quoted value holds: its line breaks are shown as escapes.
        return f"{self.file}:{self.line}:{self.col}: {self.message.translate(_BREAKS)}"


_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
"""Every character ``str.splitlines`` breaks at, with the escape that stands for it."""


class RoutinecastError(Exception):
    """Root of every error routinecast raises on purpose.

    ``exit_code`` is what the command line exits with; ``lines()`` is what it
    prints on stderr, one line per problem.
    """

    exit_code = 1

    def lines(self) -> list[str]:
        """The error as one or more stderr lines."""
        return [str(self)]


class RoutineError(RoutinecastError):
    """The input is wrong: a routine file, a sound it names, an option.

    Carries every problem found, so a user fixes them all in one go.
    """

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class EngineError(RoutinecastError):
    """The speech engine failed, hung or crashed, or is not installed."""

    exit_code = 1
