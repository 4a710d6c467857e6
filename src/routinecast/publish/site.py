"""Write the listening site and feed beside the sessions: everything gathered first, then written at once.

Per session ``NAME.mp3`` (with ``NAME.json``): ``NAME.html``, ``NAME.svg``
(the timeline picture), ``NAME.vtt`` (the transcript), ``NAME.chapters.json``
and ``NAME.cover.png`` or ``.jpg``; for the site ``index.html``,
``site.css``, ``player.js``, ``cover.png`` and, given a base address,
``feed.xml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import RoutineError
from ..write.captions import transcript
from ..write.files import Staging
from ..write.picture import timeline_svg
from . import pages
from .cover import title_cover
from .feed import Show, chapters_json, feed_xml
from .sessions import Session

FEED = "feed.xml"
RESERVED_NAMES = ("index", "feed", "cover")
"""Session names whose files would take the site's own."""


@dataclass(frozen=True)
class Site:
    """What was published."""

    index: Path
    """The index page."""
    feed: Path | None
    """The feed, when a base address was given."""
    sessions: tuple[Session, ...]
    """The sessions on it, in order."""


def write_site(folder: Path, sessions: list[Session], show: Show, with_feed: bool) -> Site:
    """Write the site for ``sessions`` into ``folder``; ``with_feed`` also writes the feed (``show.base_url``)."""
    for session in sessions:
        if session.name in RESERVED_NAMES:
            raise RoutineError(f"{session.audio}: the site uses the name {session.name!r}; rename this session")
    out: dict[str, bytes] = {}
    files: dict[str, dict[str, str]] = {"": {"cover": "cover.png"}}
    out["cover.png"] = title_cover(show.title).data
    feed = FEED if with_feed else None
    for session in sessions:
        cover = session.cover or title_cover(session.title)
        own = {
            "page": f"{session.name}.html",
            "chapters": f"{session.name}.chapters.json",
            "cover": f"{session.name}.cover{cover.suffix}",
        }
        files[session.name] = own
        picture = None
        if session.timed:  # an MP3 known from its tags alone has no words or holds to show
            own |= {"picture": f"{session.name}.svg", "transcript": f"{session.name}.vtt"}
            picture = timeline_svg(session.timeline)
            out[own["picture"]] = picture.encode("utf-8")
            out[own["transcript"]] = transcript(session.timeline, "vtt").encode("utf-8")
        out[own["chapters"]] = chapters_json(session).encode("utf-8")
        out[own["cover"]] = cover.data
        out[own["page"]] = pages.session_page(session, own, picture, show.language, feed).encode("utf-8")
    index = pages.index_page(show.title, show.description, sessions, files, show.language, feed)
    out["index.html"] = index.encode("utf-8")
    for asset in (pages.STYLE, pages.SCRIPT):
        out[asset] = resources.files(__package__).joinpath(asset).read_bytes()
    if feed:
        out[feed] = feed_xml(show, sessions, files).encode("utf-8")
    with Staging() as staging:
        for name, data in out.items():
            staging.path_for(folder / name).write_bytes(data)
        staging.commit()
    return Site(folder / "index.html", folder / feed if feed else None, tuple(sessions))
