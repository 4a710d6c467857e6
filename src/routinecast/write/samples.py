"""Voice samples: one line spoken in each voice and written as an MP3, to hear the voices before choosing."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import RoutineError
from ..options import DEFAULT_TIMEOUT_S, Output
from ..speech.clips import prepare_clip
from ..speech.engine import VoiceInfo, VoiceSpec
from ..speech.engines import open_engine
from .encoder import encode
from .files import Staging


def sample_name(engine: str, voice: VoiceInfo) -> str:
    """The sample's file name: engine and voice id, with anything but letters, digits, ``.``, ``_`` and ``-``
    made a ``-`` (ids such as ``gmw/en-us`` hold slashes)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"{engine}-{voice.id}") + ".mp3"


def write_samples(
    text: str, voices: list[tuple[str, VoiceInfo]], folder: Path, timeout: float = DEFAULT_TIMEOUT_S
) -> list[Path]:
    """Speak ``text`` in each ``(engine name, voice)`` at its natural pace; write one MP3 per voice into
    ``folder`` (all at once, when every voice has spoken); returns the files, in the order of ``voices``."""
    if not text.strip():
        raise RoutineError("--sample: give the words to speak, such as --sample 'Breathe in slowly.'")
    output = Output()
    files = [folder / sample_name(engine, voice) for engine, voice in voices]
    with Staging() as staging:
        for name in dict.fromkeys(engine for engine, _ in voices):
            with open_engine(name, 1, timeout) as opened:
                for (engine, voice), path in zip(voices, files):
                    if engine != name:
                        continue
                    for _, samples, rate in opened.synthesize([text], VoiceSpec(voice.id, 1.0, 1.0)):
                        clip = prepare_clip(samples, rate, output.sample_rate).astype("float32") / 32768
                        encode(staging.path_for(path), [clip], output.sample_rate, "mp3", output.bitrate, {})
        staging.commit()
    return files
