"""A session split at its sections: one audio file per chapter, and an M3U playlist of them.

The session is planned and mixed once, as for a single file (one loudness gain,
one timeline, one background bed), and that mix is cut at the chapters' bounds.
So the parts played in order are the session's samples exactly: a bed runs on
across a cut as it does in the single file, with no fade or restart there. Each
part is tagged as track n of N of an album named after the session, and gets a
timeline and captions of its own, timed from its first sample, when those are
asked for.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import RoutineError
from ..formats import FORMATS
from ..model import Routine
from ..script import record
from ..script.timeline import Span, Timeline
from . import captions, encoder
from .files import Staging
from .playlist import PLAYLIST_SUFFIXES, m3u
from .tags import wav_info, write_tags

SPLITS = ("sections",)
"""Where a session may be split into files of its own."""
SLUG_CHARS = 40
"""Most characters of a section's title kept in its file name (after its number)."""


@dataclass(frozen=True)
class Section:
    """One file of a split session."""

    path: Path
    """Where it is written: ``NN-<title>.<format>`` in the session's folder."""
    number: int
    """Its place in the session, from 1."""
    timeline: Timeline
    """Its own timeline, from its first sample, titled as it is tagged."""

    def beside(self, suffix: str) -> Path:
        """A side file of this section (its timeline, its captions): its own name with ``suffix``."""
        return self.path.with_suffix(suffix)


def check_split(split: str, output: str | Path | None) -> None:
    """Refuse a split routinecast does not make, or an output that names a file where a folder is wanted."""
    if split not in SPLITS:
        raise RoutineError(f"--split {split}: no such split; choose one of: {', '.join(SPLITS)}")
    suffix = Path(output).suffix.lower() if output is not None else ""
    if suffix.lstrip(".") in FORMATS or suffix in PLAYLIST_SUFFIXES:
        raise RoutineError(f"{output}: with --split the output is the folder for the parts; name a folder, not a file")


def playlist_path(folder: Path) -> Path:
    """The playlist of a split session: ``<folder>/<folder name>.m3u``."""
    return folder / f"{folder.name}.m3u"


def plan_sections(timeline: Timeline, folder: Path, fmt: str) -> list[Section]:
    """The files ``timeline`` splits into at its chapters (one with no time of its own makes none)."""
    chapters = [chapter for chapter in timeline.chapters if chapter.end > chapter.start]
    digits = max(2, len(str(len(chapters))))
    sections = []
    for number, chapter in enumerate(chapters, 1):
        title = timeline.title if chapter.label == timeline.title else f"{timeline.title} — {chapter.label}"
        path = folder / f"{number:0{digits}d}-{slug(chapter.label)}.{fmt}"
        sections.append(Section(path, number, _cut(timeline, chapter, title)))
    return sections


def side_outputs(sections: list[Section], timelines: bool, transcript_fmt: str | None) -> dict[str, Path]:
    """Every file a split writes besides the playlist, by what it is (for ``files.check_outputs``)."""
    named: dict[str, Path] = {}
    for section in sections:
        named[f"section {section.number}"] = section.path
        if timelines:
            named[f"section {section.number}'s timeline"] = section.beside(".json")
        if transcript_fmt:
            named[f"section {section.number}'s captions"] = section.beside(f".{transcript_fmt}")
    return named


def write_sections(
    staging: Staging,
    sections: list[Section],
    routine: Routine,
    chunks: Iterable[np.ndarray],
    fmt: str,
    timelines: bool,
    transcript_fmt: str | None,
    playlist: Path,
) -> int:
    """Stage each section's stretch of ``chunks`` (the whole session's mix, in order) as a tagged file with
    its side files, then the playlist of them; returns the bytes of audio staged."""
    stream = _Cutter(chunks)
    size = 0
    for section in sections:
        tags = _tags(routine, section, len(sections))
        audio = staging.path_for(section.path)
        length = section.timeline.length
        written = encoder.encode(
            audio, stream.take(length), routine.output.sample_rate, fmt, routine.output.bitrate, wav_info(tags)
        )
        if written != length:
            raise RuntimeError(f"section {section.number} got {written} samples of the mix, not {length}")
        if fmt == "mp3":
            write_tags(audio, tags, section.timeline)
        if timelines:
            staging.write_text(section.beside(".json"), record.dump(section.timeline))
        if transcript_fmt:
            staging.write_text(
                section.beside(f".{transcript_fmt}"), captions.transcript(section.timeline, transcript_fmt)
            )
        size += audio.stat().st_size
    staging.write_text(playlist, m3u(playlist, [(section.path, section.timeline) for section in sections]))
    return size


def slug(title: str) -> str:
    """``title`` as a file name: its letters and digits in ASCII lower case, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:SLUG_CHARS].strip("-") or "section"


def _tags(routine: Routine, section: Section, count: int) -> Routine:
    """The routine as a section's file is tagged: its title, track n/N, the session's title as the album."""
    return dataclasses.replace(
        routine,
        title=section.timeline.title,
        output=dataclasses.replace(routine.output, album=routine.title),
        tags=dataclasses.replace(routine.tags, track=f"{section.number}/{count}"),
    )


def _cut(timeline: Timeline, chapter: Span, title: str) -> Timeline:
    """The stretch of ``timeline`` one chapter covers, from its first sample; events and windows that cross
    its bounds (a pause repeated round after round is one event) are cut at them."""
    start, end = chapter.start, chapter.end
    events = tuple(
        dataclasses.replace(e, start=max(e.start, start) - start, length=min(e.end, end) - max(e.start, start))
        for e in timeline.events
        if e.end > start and e.start < end
    )
    windows = tuple(
        dataclasses.replace(w, start=max(w.start, start) - start, end=min(w.end, end) - start)
        for w in timeline.windows
        if w.end > start and w.start < end
    )
    own = (Span("chapter", 0, end - start, chapter.label),)
    return dataclasses.replace(timeline, title=title, events=events, windows=windows, chapters=own)


class _Cutter:
    """A stream of sample chunks handed out in stretches of given lengths, one after another."""

    def __init__(self, chunks: Iterable[np.ndarray]):
        self.chunks = iter(chunks)
        self.left = np.empty(0, dtype=np.float32)

    def take(self, length: int) -> Iterator[np.ndarray]:
        """The next ``length`` samples, as chunks (fewer if the stream ends first)."""
        while length > 0:
            if not len(self.left):
                chunk = next(self.chunks, None)
                if chunk is None:
                    return
                self.left = chunk
            piece, self.left = self.left[:length], self.left[length:]
            length -= len(piece)
            yield piece
