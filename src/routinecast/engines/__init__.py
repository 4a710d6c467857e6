"""Speech engines behind the :class:`routinecast.speech.Engine` interface."""

from __future__ import annotations

from ..errors import RoutineError
from ..speech import Engine

ENGINES = ("pyttsx3", "fake")


def open_engine(name: str = "pyttsx3", jobs: int | None = None) -> Engine:
    """A ready engine by name; close it (or use it as a context manager) when done."""
    if name == "pyttsx3":
        from .pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine(jobs=jobs)
    if name == "fake":
        from .fake import FakeEngine

        return FakeEngine()
    raise RoutineError(f"unknown engine '{name}'; choose one of: {', '.join(ENGINES)}")
