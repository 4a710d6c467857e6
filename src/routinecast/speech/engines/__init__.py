"""The engines routinecast can speak with: plug-ins found through the ``routinecast.engines`` entry points.

The built-in engines register through the same door as anyone else's: an
entry point in the ``routinecast.engines`` group names a class (or any callable)
that takes ``jobs`` and ``timeout`` keywords and returns an :class:`Engine`.
A new engine is one module and one entry point in its package's metadata::

    [project.entry-points."routinecast.engines"]
    myvoice = "mypackage.engine:MyEngine"
"""

from __future__ import annotations

import os
from importlib.metadata import EntryPoint, entry_points
from importlib.util import find_spec

from ...errors import EngineError, RoutineError
from ..engine import DEFAULT_TIMEOUT_S, Engine, VoiceInfo

GROUP = "routinecast.engines"
"""The entry-point group engines register in."""
FALLBACK_ENGINE = "pyttsx3"
"""The engine used when none is named and Piper is not installed."""
ENGINE_ENV = "ROUTINECAST_ENGINE"
"""Environment variable naming the engine for routines and commands that name none."""


def default_engine() -> str:
    """``$ROUTINECAST_ENGINE`` if set; else ``piper`` when the piper extra and a voice are installed; else pyttsx3."""
    named = os.environ.get(ENGINE_ENV)
    if named:
        if named not in registered():
            known = ", ".join(registered())
            raise RoutineError(f"${ENGINE_ENV} names engine '{named}', which is not installed; choose one of: {known}")
        return named
    from .piper_voices import installed

    return "piper" if piper_installed() and installed() else FALLBACK_ENGINE


def piper_installed() -> bool:
    """Whether the ``piper`` extra's libraries can be imported (without importing them: that takes a while)."""
    try:
        return find_spec("piper") is not None and find_spec("onnxruntime") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules, or a broken parent
        return False


def registered() -> dict[str, EntryPoint]:
    """Every installed engine by name (the first registration of a name wins)."""
    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return dict(sorted(found.items()))


def open_engine(name: str = FALLBACK_ENGINE, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> Engine:
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
    """``(engine name, voice)`` for every voice of ``engine`` (default: every engine that can be opened)
    whose language code starts with ``lang``."""
    out = []
    for name in [engine] if engine else list(registered()):
        try:
            with open_engine(name, 1) as opened:
                voices = opened.voices()
        except EngineError:
            if engine:
                raise
            continue  # listing every engine: one that is not installed has no voices to list
        out += [(name, v) for v in voices if any(code.lower().startswith(lang.lower()) for code in v.languages)]
    return out
