"""routinecast: turn guided-routine scripts (YAML) into narrated audio sessions, offline.

The pipeline, one folder per stage: ``read`` (YAML to the typed model),
``script`` (expansion and timing), ``speech`` (engines and clips), ``sound``
(levelling, tones, recordings), ``mix`` and ``write`` (MP3, tags, captions).
"""

from .build import BuildResult, Settings, build, check, plan
from .errors import EngineError, RoutinecastError, RoutineError
from .read.routine import load_routine
from .version import __version__

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
