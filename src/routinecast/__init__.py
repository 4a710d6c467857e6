"""routinecast: turn guided-routine scripts (YAML) into narrated audio sessions, offline.

The pipeline, one folder per stage: ``read`` (YAML to the typed model),
``script`` (expansion and timing), ``speech`` (engines and clips), ``sound``
(levelling, tones, recordings), ``mix`` and ``write`` (MP3, tags, captions).
"""

import sys
from importlib import import_module
from types import ModuleType

from .errors import EngineError, RoutinecastError, RoutineError
from .version import __version__

_LAZY = {name: "build" for name in ("BuildResult", "Settings", "build", "check", "plan")} | {
    "load_routine": "read.routine"
}
"""The pipeline's entry points, imported when first used: the command line's --help needs none of them."""


class _Package(ModuleType):
    """Serves ``_LAZY`` names from their modules, even once the module ``routinecast.build`` is imported
    (importing it sets the package's attribute ``build`` to the module, not the function)."""

    def __getattribute__(self, name: str):
        if name in _LAZY:
            return getattr(import_module(f".{_LAZY[name]}", __name__), name)
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "BuildResult",
    "EngineError",
    "RoutineError",
    "RoutinecastError",
    "Settings",
    "__version__",
    "build",
    "check",
    "load_routine",
    "plan",
]
