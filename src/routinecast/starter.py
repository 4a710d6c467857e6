"""Starting points: the routines that ship, a new routine to begin from, and the format's JSON Schema.

The shipped routines are package data (``routinecast/routines``, which is the
checkout's ``scripts/`` folder), so they are found after any install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from .build import check
from .errors import RoutineError
from .read.routine import load_routine
from .script.expansion import expand
from .script.items import Chapter
from .settings import Settings
from .write.files import Staging

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=\S+\n")
"""The first line of a routine that points editors at the schema."""
ROUTINES = files("routinecast") / "routines"
"""The shipped routines' folder (package data)."""
INCLUDE = re.compile(r"^\s*-?\s*include:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)
"""An ``include:`` line, for copying what a shipped routine includes along with it."""

TEMPLATE = """\
title: My Routine
description: A short routine to start from; change anything, then run routinecast build on this file.
voice: {rate: 130}          # words per minute
steps:
  - say: Stop if anything hurts, and ask a clinician if pain persists.
  - section: Settle in      # each section is a chapter in the MP3
  - say: Lie on your back with your knees bent and your feet flat on the floor.
  - pause: 5s
  - hold: 30s               # a timed hold, with cues at exact moments
    say: Let your low back rest toward the floor.
    cues: [halfway, {countdown: 3}]
    then: And release.
  - section: Breathe
  - breathe: {in: 4, out: 6, cycles: 3, cue: words}
  - say: That is the end of the routine. Take your time getting up.
  - bell: end
"""
"""What ``routinecast new`` writes, after the schema line: every common step kind, commented."""


@dataclass(frozen=True)
class Shipped:
    """A routine that ships with routinecast."""

    name: str
    """Its file name without ``.yaml``; what ``new --from`` takes."""
    title: str
    """Its title."""
    description: str
    """Its description (one paragraph)."""
    chapters: tuple[str, ...]
    """Its chapters in order, those its included files and blocks make too."""
    length_ms: float | None = None
    """How long it is, with real speech (``None`` when not timed)."""


def schema_path() -> Path:
    """The installed JSON Schema of the routine format."""
    return Path(str(files("routinecast") / "routine.schema.json"))


def schema_line() -> str:
    """The first line of a routine written here: it names the installed schema for editors."""
    return f"# yaml-language-server: $schema={schema_path().as_uri()}\n"


def shipped(timed: bool = False, settings: Settings = Settings()) -> list[Shipped]:
    """Every shipped routine, by name; ``timed`` speaks each (or takes its lines from the speech cache)
    and lays it out, as ``check`` does, to give its real length."""
    out = []
    with as_file(ROUTINES) as folder:
        for path in sorted(Path(folder).glob("*.yaml")):
            routine = load_routine(path)
            chapters = tuple(item.title for item in expand(routine) if isinstance(item, Chapter))
            timeline = check(path, settings) if timed else None
            length = timeline.ms(timeline.length) if timeline else None
            about = " ".join((routine.description or "").split())
            out.append(Shipped(path.stem, routine.title, about, chapters, length))
    return out


def new_routine(target: Path, source: str | None = None) -> list[Path]:
    """Write a routine to ``target`` (and what it includes beside it); returns the files written.

    ``source`` names a shipped routine to copy; without it, :data:`TEMPLATE` is written.
    Nothing is overwritten: an existing target is an error, an included file that exists is kept.
    """
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise RoutineError(f"{target}: a routine file ends in .yaml; name it like {target.with_suffix('.yaml').name}")
    if target.exists():
        raise RoutineError(f"{target}: already exists; choose another name or remove it first")
    texts = {target: schema_line() + TEMPLATE}
    if source is not None:
        with as_file(ROUTINES) as folder:
            names = sorted(path.stem for path in Path(folder).glob("*.yaml"))
            if source.removesuffix(".yaml") not in names:
                raise RoutineError(f"--from {source}: no such shipped routine; choose one of: {', '.join(names)}")
            texts = _copies(Path(folder) / f"{source.removesuffix('.yaml')}.yaml", target)
    written = [path for path in texts if path == target or not path.exists()]
    with Staging() as staging:
        for path in written:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging.write_text(path, texts[path])
        staging.commit()
    return written


def _copies(source: Path, target: Path) -> dict[Path, str]:
    """The text of ``source`` for ``target``, and of every file it includes, for the same place beside it."""
    texts: dict[Path, str] = {}
    todo = [(source, target)]
    while todo:
        original, copy = todo.pop()
        if copy in texts:
            continue
        text = original.read_text(encoding="utf-8")
        line = schema_line() if SCHEMA_LINE.match(text) or copy == target else ""
        texts[copy] = line + SCHEMA_LINE.sub("", text, count=1)
        for name in INCLUDE.findall(text):
            todo.append((original.parent / name, copy.parent / name))
    return texts
