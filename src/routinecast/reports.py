"""What the command line prints about an outcome: the summary line, the error lines and the ``--json`` shapes.

The JSON shapes are stable (the README documents them); a field may be added, none renamed or removed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .errors import Problem, RoutinecastError
from .units import format_clock, format_ms


def summary(result) -> str:
    """A build's line: ``OUTPUT  LENGTH  SIZE MB  [N parts  ](built in SECONDS)``."""
    duration = format_ms(result.timeline.ms(result.timeline.length))
    count = len(result.parts)
    parts = f"  {count} part{'' if count == 1 else 's'}" if count else ""
    return f"{result.output}  {duration}  {result.size / 1e6:.1f} MB{parts}  (built in {result.seconds:.1f}s)"


def build_lines(path: Path, outcome, as_json: bool) -> tuple[list[str], bool]:
    """What to print about a build's outcome (a result or a :class:`RoutinecastError`), and whether on stderr:
    a summary line, the error's lines, or (``as_json``) one JSON line either way, on stdout."""
    failure = isinstance(outcome, RoutinecastError)
    if as_json:
        return [json.dumps(failed(path, outcome) if failure else built(path, outcome), ensure_ascii=False)], False
    return (error_lines(outcome), True) if failure else ([summary(outcome)], False)


def check_line(path: Path, timeline) -> str:
    """``check``'s line for a valid routine: its length, or that its timing was not checked (``--fast``)."""
    if timeline is None:
        return f"{path}: ok (timing not checked: --fast)"
    return f"{path}: ok ({format_ms(timeline.ms(timeline.length))})"


def error_lines(exc: RoutinecastError) -> list[str]:
    """``exc`` as stderr lines, one per problem; an internal failure's start with ``routinecast:``."""
    return [f"routinecast: {line}" if exc.exit_code == 1 else line for line in exc.lines()]


def shipped_lines(routine) -> list[str]:
    """A shipped routine in ``list``: name, title and length if known; its description; its chapters."""
    length = f" ({format_ms(routine.length_ms)})" if routine.length_ms is not None else ""
    return [
        f"{routine.name}: {routine.title}{length}",
        f"  {routine.description}",
        f"  chapters: {'; '.join(routine.chapters)}",
    ]


def plan_lines(timeline) -> list[str]:
    """``plan``'s table: each event's start, kind and text or length, under its chapter; then the total."""
    lines = []
    chapters = {c.start: c.label for c in timeline.chapters}
    for event in timeline.events:
        if event.start in chapters:
            lines += ["", f"== {chapters.pop(event.start)} =="]
        what = event.text if event.kind == "speech" else format_ms(timeline.ms(event.length))
        lines.append(f"{format_clock(timeline.ms(event.start))}  {event.kind:<7}  {what}")
    return [*lines, "", f"total {format_ms(timeline.ms(timeline.length))}"]


def voice_lines(voices: list, samples: list) -> list[str]:
    """``voices``' table: a line per voice (with its ``--sample`` file), under a line saying where the
    voices of an engine come from and their terms."""
    lines, about = [], None
    for (name, info), sample in zip(voices, samples):
        if (name, info.source, info.license) != about:  # said once for the voices it applies to
            about = name, info.source, info.license
            lines.append(f"# {name}: {info.source}; {info.license}")
        heard = f"  {sample}" if sample else ""
        lines.append(f"{name:<8} {info.id:<24} {','.join(info.languages):<16} {info.name}{heard}")
    return lines


def built(path: Path, result) -> dict:
    """``build --json``, a routine built (one JSON line per routine)."""
    return {
        "routine": str(path),
        "ok": True,
        "output": str(result.output),
        "duration_ms": result.timeline.ms(result.timeline.length),
        "bytes": result.size,
        "seconds": round(result.seconds, 3),
        "parts": [str(part) for part in result.parts],
    }


def checked(path: Path, timeline) -> dict:
    """``check --json``, a routine found valid; without a timeline (``--fast``) its length is not known."""
    length = timeline.ms(timeline.length) if timeline else None
    return {"routine": str(path), "ok": True, "duration_ms": length, "timed": timeline is not None}


def failed(path: Path, exc: RoutinecastError) -> dict:
    """``check --json`` and ``build --json``, a routine that failed: its problems, located where they can be."""
    problems = getattr(exc, "problems", None) or [str(exc)]
    return {"routine": str(path), "ok": False, "problems": [_problem(p) for p in problems]}


def voice(engine: str, info, sample: Path | None = None) -> dict:
    """``voices --json``, one voice (with the file ``--sample`` wrote for it)."""
    return {"engine": engine, **asdict(info), **({"sample": str(sample)} if sample else {})}


def _problem(problem: Problem | str) -> dict:
    if isinstance(problem, Problem):
        return asdict(problem)
    return {"file": None, "line": None, "col": None, "message": str(problem)}
