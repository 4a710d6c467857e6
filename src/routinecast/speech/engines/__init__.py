"""The engines routinecast can speak with: plug-ins found through the ``routinecast.engines`` entry points.

The built-in engines register through the same door as anyone else's: an
entry point in the ``routinecast.engines`` group names a class (or any callable)
that takes ``jobs`` and ``timeout`` keywords and returns an :class:`Engine`.
A new engine is one module and one entry point in its package's metadata::

    [project.entry-points."routinecast.engines"]
    myvoice = "mypackage.engine:MyEngine"
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from ...errors import EngineError, RoutineError
from ..engine import DEFAULT_TIMEOUT_S, Engine, VoiceInfo

GROUP = "routinecast.engines"
"""The entry-point group engines register in."""
DEFAULT_ENGINE = "pyttsx3"
"""The engine used when none is named."""


def registered() -> dict[str, EntryPoint]:
    """Every installed engine by name (the first registration of a name wins)."""
    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return dict(sorted(found.items()))


def open_engine(name: str = DEFAULT_ENGINE, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> Engine:
    """A ready engine by name; close it (or use it as a context manager) when done.

    ``timeout`` is how long one line may take before the engine counts as hung.
    """
    engines = registered()
    if name not in engines:
        known = (
            ", ".join(engines) or "none (reinstall routinecast: its own engines are registered when it is installed)"
        )
        raise RoutineError(f"unknown engine '{name}'; choose one of: {known}")
    try:
        factory = engines[name].load()
    except Exception as exc:  # a plug-in that is installed but broken: say which, in one line
        raise EngineError(
            f"engine '{name}' ({engines[name].value}) cannot be loaded: {type(exc).__name__}: {exc}; "
            "reinstall the package that provides it"
        ) from None
    return factory(jobs=jobs, timeout=timeout)


def all_voices(engine: str | None = None, lang: str = "") -> list[tuple[str, VoiceInfo]]:
    """``(engine name, voice)`` for every voice of ``engine`` (default: every registered engine)
    whose language code starts with ``lang``."""
    out = []
    for name in [engine] if engine else list(registered()):
        with open_engine(name, 1) as opened:
            voices = opened.voices()
        out += [(name, v) for v in voices if any(code.lower().startswith(lang.lower()) for code in v.languages)]
    return out
