"""routinecast: turn guided-routine scripts (YAML) into narrated audio sessions, offline."""

__version__ = "0.1.0"

from .build import BuildResult, Settings, build, plan  # noqa: E402
from .errors import EngineError, RoutineError, RoutinecastError  # noqa: E402
from .schema import load_routine  # noqa: E402

__all__ = [
    "BuildResult", "EngineError", "RoutineError", "RoutinecastError", "Settings",
    "__version__", "build", "load_routine", "plan",
]
