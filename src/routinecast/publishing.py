"""``publish``: build routines into a folder (if named) and write the listening site and feed for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .build import build
from .errors import RoutineError
from .publish.feed import Show, base_url
from .publish.sessions import find_sessions
from .publish.site import Site, write_site
from .settings import Settings


def publish(
    folder: str | Path,
    routines: list[Path] = (),
    *,
    base: str | None = None,
    title: str | None = None,
    description: str | None = None,
    author: str | None = None,
    language: str = "en",
    settings: Settings = Settings(),
    built: Callable[[Path], None] | None = None,
) -> Site:
    """Publish every session in ``folder``; each of ``routines`` is built into it first.

    A routine is built to ``folder/NAME.mp3`` with its timeline (``NAME.json``),
    which the site needs. ``base`` (the site's web address) adds the podcast
    feed. ``title``, ``description`` and ``author`` default to what the
    sessions share. ``built`` hears each routine's output as it is done.
    """
    folder = Path(folder)
    url = base_url(base) if base is not None else ""
    if folder.exists() and not folder.is_dir():
        raise RoutineError(f"{folder}: not a folder; name the folder to publish")
    for routine in routines:
        result = build(
            routine, folder / f"{routine.stem}.mp3", timeline_path=folder / f"{routine.stem}.json", settings=settings
        )
        if built:
            built(result.output)
    sessions = find_sessions(folder)
    albums = {s.album for s in sessions if s.album}
    authors = {s.author for s in sessions if s.author}
    show = Show(
        title=title or (albums.pop() if len(albums) == 1 else folder.resolve().name),
        description=description or f"{len(sessions)} guided sessions, made with routinecast.",
        author=author or (authors.pop() if len(authors) == 1 else ""),
        language=language,
        base_url=url,
    )
    return write_site(folder, sessions, show, with_feed=bool(url))
