"""The built sessions in an output folder: each MP3 with its timeline file beside it, and its tags."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3

from ..errors import RoutineError
from ..script import record
from ..script.timeline import Timeline


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
    """Its timeline, read from the timeline file beside it."""
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

    An MP3 without one is a :class:`RoutineError` that says how to build it with one.
    """
    if not folder.is_dir():
        raise RoutineError(f"{folder}: no such folder; build some routines into it first")
    sessions = [_session(path) for path in sorted(folder.glob("*.mp3")) if not path.name.startswith(".")]
    if not sessions:
        raise RoutineError(f"{folder}: no MP3 files to publish; build some routines into it, or name them to build")
    return sorted(sessions, key=lambda s: (s.track or float("inf"), s.name))


def _session(audio: Path) -> Session:
    timeline_path = audio.with_suffix(".json")
    if not timeline_path.is_file():
        raise RoutineError(
            f"{audio}: no timeline file beside it ({timeline_path.name}); build it with --timeline "
            f"{timeline_path}, or give its routine to publish to build it"
        )
    timeline = record.load(timeline_path)
    try:
        mp3 = MP3(audio)
    except (MutagenError, OSError) as exc:
        raise RoutineError(f"{audio}: not an MP3 file that can be read ({exc}); build it again") from None
    tags = mp3.tags or {}

    def text(frame: str) -> str:
        return str(tags[frame].text[0]) if frame in tags and tags[frame].text else ""

    comments = [frame for key, frame in tags.items() if key.startswith("COMM")]
    pictures = [frame for key, frame in tags.items() if key.startswith("APIC")]
    track = text("TRCK").split("/")[0]
    stat = audio.stat()
    return Session(
        audio=audio,
        timeline=timeline,
        title=text("TIT2") or timeline.title,
        description=str(comments[0].text[0]) if comments and comments[0].text else "",
        author=text("TPE1"),
        album=text("TALB"),
        track=int(track) if track.isdigit() else 0,
        cover=Cover(pictures[0].data, pictures[0].mime) if pictures else None,
        size=stat.st_size,
        modified=datetime.datetime.fromtimestamp(int(stat.st_mtime), datetime.UTC),
    )
