"""The podcast feed (RSS 2.0 with Apple's and the Podcasting 2.0 tags) and its JSON chapters files.

Built with ElementTree, so every text is escaped as XML needs. Addresses in a
feed must be absolute: each is the ``--base-url`` and the file's name.
"""

from __future__ import annotations

import email.utils
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

from ..errors import RoutineError
from ..version import __version__
from .sessions import Session

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CATEGORY = "Health & Fitness"
"""Apple's category for the show."""
CHAPTERS_VERSION = "1.2.0"
"""Of the Podcasting 2.0 JSON chapters format."""


@dataclass(frozen=True)
class Show:
    """What the feed says of the whole catalogue."""

    title: str
    """The show's title."""
    description: str
    """What it is."""
    author: str
    """Who makes it."""
    language: str
    """Its language code, e.g. ``en``."""
    base_url: str
    """Where the site will be served from, ending in ``/``."""


def base_url(text: str) -> str:
    """``text`` checked as the site's web address, ending in ``/``."""
    if not text.startswith(("https://", "http://")) or len(text.split("/")[2]) == 0:
        raise RoutineError(f"--base-url {text}: give the site's full address, e.g. https://example.org/sessions/")
    return text if text.endswith("/") else text + "/"


def chapters_json(session: Session) -> str:
    """The session's chapters in the Podcasting 2.0 JSON chapters format (times in seconds)."""
    timeline = session.timeline
    chapters = [
        {"startTime": timeline.whole_ms(c.start) / 1000, "endTime": timeline.whole_ms(c.end) / 1000, "title": c.label}
        for c in timeline.chapters
    ]
    return json.dumps({"version": CHAPTERS_VERSION, "chapters": chapters}, indent=1, ensure_ascii=False) + "\n"


def feed_xml(show: Show, sessions: list[Session], files: dict[str, dict[str, str]]) -> str:
    """The RSS document. ``files`` maps each session's name to its files by kind.

    The kinds are ``page``, ``cover``, ``chapters`` and ``transcript``; ``cover`` also
    under the name ``""`` for the show.
    """
    for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
        ET.register_namespace(prefix, uri)
    url = lambda name: show.base_url + quote(name)  # noqa: E731
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", show.title)
    _text(channel, "link", url("index.html"))
    _text(channel, "description", show.description)
    _text(channel, "language", show.language)
    _text(channel, "generator", f"routinecast {__version__}")
    if sessions:
        _text(channel, "lastBuildDate", email.utils.format_datetime(max(s.modified for s in sessions)))
    ET.SubElement(channel, f"{{{ATOM}}}link", href=url("feed.xml"), rel="self", type="application/rss+xml")
    image = ET.SubElement(channel, "image")
    for tag, text in (("url", url(files[""]["cover"])), ("title", show.title), ("link", url("index.html"))):
        _text(image, tag, text)
    _text(channel, f"{{{ITUNES}}}author", show.author)
    ET.SubElement(channel, f"{{{ITUNES}}}image", href=url(files[""]["cover"]))
    ET.SubElement(channel, f"{{{ITUNES}}}category", text=CATEGORY)
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    _text(channel, f"{{{ITUNES}}}type", "episodic")
    for session in sessions:
        own = files[session.name]
        item = ET.SubElement(channel, "item")
        _text(item, "title", session.title)
        _text(item, "description", session.description or session.title)
        _text(item, "link", url(own["page"]))
        _text(item, "guid", url(session.audio.name), isPermaLink="false")
        _text(item, "pubDate", email.utils.format_datetime(session.modified))
        ET.SubElement(item, "enclosure", url=url(session.audio.name), length=str(session.size), type="audio/mpeg")
        _text(item, f"{{{ITUNES}}}duration", str(round(session.seconds)))
        ET.SubElement(item, f"{{{ITUNES}}}image", href=url(own["cover"]))
        _text(item, f"{{{ITUNES}}}episodeType", "full")
        _text(item, f"{{{ITUNES}}}explicit", "false")
        ET.SubElement(item, f"{{{PODCAST}}}chapters", url=url(own["chapters"]), type="application/json+chapters")
        if "transcript" in own:
            ET.SubElement(
                item, f"{{{PODCAST}}}transcript", url=url(own["transcript"]), type="text/vtt", language=show.language,
                rel="captions",
            )  # fmt: skip
    ET.indent(rss, space=" ")
    return ET.tostring(rss, encoding="unicode", xml_declaration=True) + "\n"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element
