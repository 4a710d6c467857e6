"""Extended M3U playlists: of a batch of sessions, or of the parts of a session split at its sections."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..script.timeline import Timeline

PLAYLIST_SUFFIXES = (".m3u", ".m3u8")
"""What a playlist's name ends in (both are written in UTF-8)."""


def m3u(target: Path, entries: Iterable[tuple[Path, Timeline]]) -> str:
    """The playlist to be written at ``target``: each ``(audio file, its timeline)`` with its length in
    whole seconds and its title, the path relative to the playlist's folder."""
    lines = ["#EXTM3U"]
    for audio, timeline in entries:
        seconds = round(timeline.length / timeline.sample_rate)
        where = os.path.relpath(audio.resolve(), target.resolve().parent)
        lines += [f"#EXTINF:{seconds},{timeline.title}", where]
    return "\n".join(lines) + "\n"
