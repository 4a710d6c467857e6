"""The engines routinecast can speak with, by name."""

from __future__ import annotations

from ...errors import RoutineError
from ..engine import DEFAULT_TIMEOUT_S, Engine

DEFAULT_ENGINE = "pyttsx3"
"""The engine used when none is named."""
ENGINES = ("pyttsx3", "fake")
"""Every engine name :func:`open_engine` accepts."""


def open_engine(name: str = DEFAULT_ENGINE, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> Engine:
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
