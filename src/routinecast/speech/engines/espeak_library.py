"""Which espeak-ng library pyttsx3 drives: the system's, or the one in the ``espeakng-loader`` wheel."""

from __future__ import annotations

import ctypes.util
import os

from ...errors import EngineError


def choose_library() -> tuple[str, str | None]:
    """``(library path or name, data path)`` for espeak-ng.

    ``ROUTINECAST_ESPEAK=system|wheel`` forces a choice; by default a system
    libespeak-ng is used when there is one, else the ``espeakng-loader`` wheel's.
    """
    wanted = os.environ.get("ROUTINECAST_ESPEAK", "auto")
    system = ctypes.util.find_library("espeak-ng")
    if wanted == "system" or (wanted == "auto" and system):
        if not system:
            raise EngineError("ROUTINECAST_ESPEAK=system, but no system libespeak-ng is installed")
        return system, None
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError(
            "no espeak-ng library found: pip install espeakng-loader, or install the espeak-ng system package"
        ) from None
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
