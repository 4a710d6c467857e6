"""The timeline file (``build --timeline``, ``plan --json``): a timeline written as JSON, and read back.

Times are milliseconds from the first decoded sample, rounded to the
microsecond, so reading one back gives every event and window its exact
sample (a sample lasts more than 20 µs at any supported rate). Chapters are
written in whole milliseconds, as ID3 chapter frames hold them, so they come
back to within half a millisecond.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import RoutineError
from ..model import Background
from .timeline import Event, Span, Timeline


def dump(timeline: Timeline) -> str:
    """The timeline file's text."""
    ms = timeline.ms
    data = {
        "title": timeline.title,
        "sample_rate": timeline.sample_rate,
        "duration_ms": ms(timeline.length),
        "events": [
            {
                "kind": e.kind,
                "start_ms": ms(e.start),
                "end_ms": ms(e.end),
                **({"text": e.text} if e.text is not None else {}),
                "step": e.step,
            }
            for e in timeline.events
        ],
        "windows": [
            {"kind": w.kind, "start_ms": ms(w.start), "end_ms": ms(w.end), "step": w.label} for w in timeline.windows
        ],
        **({"background": _background(timeline.background)} if timeline.background else {}),
        # ID3 chapter frames hold whole milliseconds; the file lists the same times.
        "chapters": [
            {"title": c.label, "start_ms": float(timeline.whole_ms(c.start)), "end_ms": float(timeline.whole_ms(c.end))}
            for c in timeline.chapters
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def load(path: Path) -> Timeline:
    """The timeline in the file at ``path``; one that is not a timeline file is a :class:`RoutineError`.

    Events come back without their audio source (the file does not name it).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rate = int(data["sample_rate"])

        def at(ms: float) -> int:
            return round(float(ms) * rate / 1000)

        events = tuple(
            Event(e["kind"], at(e["start_ms"]), at(e["end_ms"]) - at(e["start_ms"]), e["step"], e.get("text"))
            for e in data["events"]
        )
        windows = tuple(Span(w["kind"], at(w["start_ms"]), at(w["end_ms"]), w["step"]) for w in data["windows"])
        chapters = tuple(Span("chapter", at(c["start_ms"]), at(c["end_ms"]), c["title"]) for c in data["chapters"])
        bed = data.get("background")
        background = (
            Background(
                bed.get("noise"), Path(bed["file"]) if bed.get("file") else None, bed["level_db"], bed["duck_db"],
                bed["fade_ms"],
            )
            if bed
            else None
        )  # fmt: skip
        return Timeline(str(data["title"]), rate, events, windows, chapters, background)
    except (OSError, UnicodeDecodeError) as exc:
        raise RoutineError(f"{path}: cannot read the timeline file ({exc}); build it again with --timeline") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RoutineError(
            f"{path}: not a routinecast timeline file ({type(exc).__name__}: {exc}); build it again with --timeline"
        ) from None


def _background(bed: Background) -> dict:
    source = {"file": bed.file.name} if bed.file else {"noise": bed.noise}
    return {**source, "level_db": bed.level_db, "duck_db": bed.duck_db, "fade_ms": bed.fade_ms}
