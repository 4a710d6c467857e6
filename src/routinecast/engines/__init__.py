"""Speech engines behind the :class:`routinecast.speech.Engine` interface."""

from __future__ import annotations

from ..errors import RoutineError
from ..speech import Engine

ENGINES = ("pyttsx3", "fake")


def open_engine(name: str = "pyttsx3", jobs: int | None = None, timeout: float = 60.0) -> Engine:
    """A ready engine by name; close it (or use it as a context manager) when done.

    ``timeout`` is how long one line may take before the engine counts as hung.
    """
    if name == "pyttsx3":
        from .pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine(jobs=jobs, timeout=timeout)
    if name == "fake":
        from .fake import FakeEngine

        return FakeEngine()
    raise RoutineError(f"unknown engine '{name}'; choose one of: {', '.join(ENGINES)}")
