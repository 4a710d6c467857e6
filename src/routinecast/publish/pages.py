"""The site's HTML: an index of the sessions and a page per session.

A session page has the audio player with the transcript as its ``<track>``,
the chapters as buttons that seek, the transcript as a list that follows the
playback (``player.js``), the timeline picture inline and a download link.
Everything is relative to the page, so the site works from ``file://`` too.
"""

from __future__ import annotations

from html import escape

from ..script.timeline import Timeline
from ..units import format_clock, format_ms
from .sessions import Session

STYLE = "site.css"
SCRIPT = "player.js"
"""The style sheet and script every page links to, copied beside the pages."""


def _head(title: str, lang: str, feed: str | None) -> str:
    alternate = (
        f'<link rel="alternate" type="application/rss+xml" href="{escape(feed)}" title="{escape(title)}">'
        if feed
        else ""
    )
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{STYLE}">\n{alternate}\n</head>\n'
    )


def index_page(title: str, description: str, sessions: list[Session], files: dict, lang: str, feed: str | None) -> str:
    """The index: each session's cover, title (a link to its page), length and description."""
    items = []
    for session in sessions:
        own = files[session.name]
        items.append(
            "<li>"
            f'<img src="{escape(own["cover"])}" alt="">'
            f'<div><h2><a href="{escape(own["page"])}">{escape(session.title)}</a></h2>'
            f'<p class="meta">{format_ms(session.timeline.ms(session.timeline.length))}</p>'
            f"<p>{escape(session.description)}</p></div>"
            "</li>"
        )
    subscribe = f'<p><a href="{escape(feed)}">Subscribe in a podcast app</a> (RSS)</p>\n' if feed else ""
    return (
        _head(title, lang, feed)
        + f"<body>\n<h1>{escape(title)}</h1>\n<p>{escape(description)}</p>\n{subscribe}"
        + '<ul class="sessions">\n'
        + "\n".join(items)
        + "\n</ul>\n</body>\n</html>\n"
    )


def session_page(session: Session, own: dict[str, str], picture: str | None, lang: str, feed: str | None) -> str:
    """A session's page; ``own`` names its files by kind, ``picture`` is its timeline as SVG (``None`` for a
    session known from its tags alone, which has no transcript either)."""
    timeline = session.timeline
    audio = escape(session.audio.name)
    meta = " · ".join(filter(None, (format_ms(timeline.ms(timeline.length)), session.author)))
    megabytes = f"{session.size / 1_000_000:.1f} MB"
    return (
        _head(session.title, lang, feed)
        + "<body>\n"
        + '<nav><a href="index.html">All sessions</a></nav>\n'
        + f'<header><img class="cover" src="{escape(own["cover"])}" alt="">'
        + f'<div><h1>{escape(session.title)}</h1><p class="meta">{escape(meta)}</p>'
        + f"<p>{escape(session.description)}</p></div></header>\n"
        + f'<audio id="player" controls preload="metadata" src="{audio}" data-lang="{escape(lang)}">\n'
        + _track(own, lang)
        + f'<a href="{audio}">Download the session</a>\n</audio>\n'
        + f'<p><a href="{audio}" download>Download the MP3</a> ({megabytes})</p>\n'
        + '<section><h2>Chapters</h2>\n<ol class="chapters">\n'
        + _chapters(timeline)
        + "</ol></section>\n"
        + (_timed(timeline, own, picture) if picture is not None else _untimed())
        + f'<script src="{SCRIPT}"></script>\n</body>\n</html>\n'
    )


def _track(own: dict[str, str], lang: str) -> str:
    if "transcript" not in own:
        return ""
    source = escape(own["transcript"])
    return f'<track kind="captions" src="{source}" srclang="{escape(lang)}" label="Transcript" default>\n'


def _timed(timeline: Timeline, own: dict[str, str], picture: str) -> str:
    svg = picture[picture.index("<svg") :] if "<svg" in picture else picture  # no XML declaration inside HTML
    return (
        f'<section><h2>Timeline</h2>\n<figure>{svg}</figure>\n<p><a href="{escape(own["picture"])}">'
        + "The timeline as a picture</a></p></section>\n"
        + '<section><h2>Transcript</h2>\n<ol class="transcript">\n'
        + _transcript(timeline)
        + "</ol></section>\n"
    )


def _untimed() -> str:
    return "<p>This session was built without its timeline file, so there is no transcript or timeline here.</p>\n"


def _chapters(timeline: Timeline) -> str:
    # Whole milliseconds, as the MP3's chapter frames and the chapters file give them.
    return "".join(
        f'<li><button type="button" data-start="{timeline.whole_ms(c.start) / 1000}">{escape(c.label)}</button> '
        f'<span class="time">{format_clock(timeline.whole_ms(c.start))}</span></li>\n'
        for c in timeline.chapters
    )


def _transcript(timeline: Timeline) -> str:
    # The same cues as the WebVTT file, whose times are whole milliseconds.
    return "".join(
        f'<li data-start="{timeline.whole_ms(e.start) / 1000}" data-end="{timeline.whole_ms(e.end) / 1000}">'
        f"{escape(' '.join((e.text or '').split()))}</li>\n"
        for e in timeline.events
        if e.kind == "speech"
    )
