"""The built sessions in an output folder: each MP3 with its tags, and the timeline file beside it.

An MP3 built without ``--timeline`` is published from its tags alone: its
chapters and length are there, its words and holds are not.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3

from ..errors import RoutineError
from ..script import record
from ..script.timeline import Event, Span, Timeline

log = logging.getLogger("routinecast")


@dataclass(frozen=True)
class Cover:
    """A cover picture."""

    data: bytes
    """The image file's bytes."""
    mime: str
    """``image/png`` or ``image/jpeg``."""

    @property
    def suffix(self) -> str:
        """The file name ending for its kind."""
        return ".png" if self.mime == "image/png" else ".jpg"


@dataclass(frozen=True)
class Session:
    """One built session, as the site and the feed show it."""

    audio: Path
    """The MP3 file."""
    timeline: Timeline
    """Its timeline, read from the timeline file beside it (else its chapters and length, from the tags)."""
    timed: bool
    """Whether the timeline file was there: without it there is no transcript and no timeline picture."""
    title: str
    """The title tag (else the timeline's title)."""
    description: str
    """The comment tag (the routine's description), or empty."""
    author: str
    """The artist tag, or empty."""
    album: str
    """The album tag, or empty."""
    track: int
    """The track number tag (0 when there is none), which orders the sessions."""
    cover: Cover | None
    """The cover picture in the tags, if any."""
    size: int
    """Bytes in the MP3 file."""
    modified: datetime.datetime
    """When the MP3 was written (UTC): the episode's publication date."""

    @property
    def name(self) -> str:
        """The file name without its ending, which every file of the session shares."""
        return self.audio.stem

    @property
    def seconds(self) -> float:
        """Its length."""
        return self.timeline.length / self.timeline.sample_rate


def find_sessions(folder: Path) -> list[Session]:
    """Every MP3 right in ``folder`` with its timeline file (``NAME.json``), by track number and name.

    An MP3 without one is taken from its tags, with a warning that says how to build it with one.
    """
    if not folder.is_dir():
        raise RoutineError(f"{folder}: no such folder; build some routines into it first")
    sessions = [_session(path) for path in sorted(folder.glob("*.mp3")) if not path.name.startswith(".")]
    if not sessions:
        raise RoutineError(f"{folder}: no MP3 files to publish; build some routines into it, or name them to build")
    return sorted(sessions, key=lambda s: (s.track or float("inf"), s.name))


def _session(audio: Path) -> Session:
    try:
        mp3 = MP3(audio)
    except (MutagenError, OSError) as exc:
        raise RoutineError(f"{audio}: not an MP3 file that can be read ({exc}); build it again") from None
    timeline_path = audio.with_suffix(".json")
    timed = timeline_path.is_file()
    if timed:
        timeline = record.load(timeline_path)
    else:
        log.warning(
            f"{audio}: no timeline file beside it ({timeline_path.name}), so its page has no transcript or "
            f"timeline picture; build it with --timeline {timeline_path}, or give its routine to publish"
        )
        timeline = _from_tags(mp3, audio.stem)
    tags = mp3.tags or {}
    comments = [frame for key, frame in tags.items() if key.startswith("COMM")]
    pictures = [frame for key, frame in tags.items() if key.startswith("APIC")]
    track = _text(tags, "TRCK").split("/")[0]
    stat = audio.stat()
    return Session(
        audio=audio,
        timeline=timeline,
        timed=timed,
        title=_text(tags, "TIT2") or timeline.title,
        description=str(comments[0].text[0]) if comments and comments[0].text else "",
        author=_text(tags, "TPE1"),
        album=_text(tags, "TALB"),
        track=int(track) if track.isdigit() else 0,
        cover=Cover(pictures[0].data, pictures[0].mime) if pictures else None,
        size=stat.st_size,
        modified=datetime.datetime.fromtimestamp(int(stat.st_mtime), datetime.UTC),
    )


def _from_tags(mp3: MP3, name: str) -> Timeline:
    """The timeline an MP3's tags give: its length and its chapter frames (whole milliseconds)."""
    rate = mp3.info.sample_rate
    length = round(mp3.info.length * rate)
    frames = sorted(mp3.tags.getall("CHAP") if mp3.tags else [], key=lambda frame: frame.start_time)
    chapters = tuple(
        Span("chapter", round(f.start_time * rate / 1000), round(f.end_time * rate / 1000), _text(f.sub_frames, "TIT2"))
        for f in frames
    )
    title = _text(mp3.tags or {}, "TIT2") or name
    return Timeline(title, rate, (Event("silence", 0, length, "session"),), (), chapters)


def _text(tags, frame: str) -> str:
    """The first text of ``frame`` in ``tags`` (an MP3's, or a chapter frame's own), or ``""``."""
    return str(tags[frame].text[0]) if frame in tags and tags[frame].text else ""
