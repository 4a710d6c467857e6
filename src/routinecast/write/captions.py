"""Captions of everything said, WebVTT or SRT, timed from the timeline."""

from __future__ import annotations

from pathlib import Path

from ..errors import RoutineError
from ..script.timeline import Timeline

TRANSCRIPT_FORMATS = (".vtt", ".srt")


def transcript_format(path: Path) -> str:
    """``vtt`` or ``srt`` from ``path``'s extension; anything else is a :class:`RoutineError`."""
    if path.suffix.lower() not in TRANSCRIPT_FORMATS:
        raise RoutineError(f"{path}: a transcript must end in .vtt (WebVTT) or .srt (SubRip)")
    return path.suffix.lower()[1:]


def transcript(timeline: Timeline, fmt: str) -> str:
    """Captions of every speech event, timed exactly as the timeline (to the millisecond)."""
    speech = [e for e in timeline.events if e.kind == "speech"]
    sep = "." if fmt == "vtt" else ","
    lines = ["WEBVTT", ""] if fmt == "vtt" else []
    for number, event in enumerate(speech, 1):
        if fmt == "srt":
            lines.append(str(number))
        start = _stamp(timeline.whole_ms(event.start), sep)
        end = _stamp(timeline.whole_ms(event.end), sep)
        # A blank line ends a cue in both formats, and "-->" starts one in WebVTT.
        text = " ".join((event.text or "").split()).replace("-->", "->")
        if fmt == "vtt":
            text = text.replace("&", "&amp;").replace("<", "&lt;")
        lines += [f"{start} --> {end}", text, ""]
    return "\n".join(lines)


def _stamp(ms: int, sep: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"
