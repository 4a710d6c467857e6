"""ID3v2.3 tags with mutagen: title, artist, album, genre, track, disc, year, comment, cover, chapters."""

from __future__ import annotations

from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    TPOS,
    TRCK,
    TSSE,
    CTOCFlags,
    ID3Tags,
    PictureType,
)

from ..model import Routine
from ..read.media import image_mime
from ..script.timeline import Timeline
from ..version import __version__


class _TimeOrderedID3(ID3):
    """ID3 that writes CHAP frames in time order, after all other frames.

    mutagen sorts frames by size and hash when saving; some players list
    chapters in file order, so ours must stay in the order of the timeline.
    """

    def _write(self, config):
        chapters = sorted(self.getall("CHAP"), key=lambda frame: frame.start_time)
        self.delall("CHAP")
        try:
            data = super()._write(config)
            for frame in chapters:
                single = ID3Tags()
                single.add(frame)
                data += single._write(config)
            return data
        finally:
            for frame in chapters:
                self.add(frame)


def wav_info(routine: Routine) -> dict[str, str]:
    """The routine's text tags as libsndfile's string fields, which it writes as a WAV's LIST/INFO chunk.

    RIFF names no character set; like ffmpeg we write UTF-8 (readers that assume Latin-1 show
    accented letters wrongly; plain ASCII reads the same everywhere).
    """
    fields = {
        "title": routine.title,
        "artist": routine.author,
        "album": routine.output.album,
        "genre": routine.tags.genre,
        "tracknumber": routine.tags.track,
        "date": str(routine.tags.year) if routine.tags.year else None,
        "comment": routine.description,
        "software": f"routinecast {__version__}",
    }
    return {field: text for field, text in fields.items() if text}


def write_tags(path: Path, routine: Routine, timeline: Timeline) -> None:
    """Replace any tag in the MP3 at ``path`` with ours."""
    tags = _TimeOrderedID3()
    tags.add(TIT2(encoding=3, text=routine.title))
    if routine.author:
        tags.add(TPE1(encoding=3, text=routine.author))
    tags.add(TALB(encoding=3, text=routine.output.album))
    tags.add(TCON(encoding=3, text=routine.tags.genre))
    if routine.tags.track:
        tags.add(TRCK(encoding=3, text=routine.tags.track))
    if routine.tags.disc:
        tags.add(TPOS(encoding=3, text=routine.tags.disc))
    if routine.tags.year:
        tags.add(TDRC(encoding=3, text=str(routine.tags.year)))  # saved as TYER in ID3v2.3
    if routine.cover:
        data = routine.cover.read_bytes()  # checked for kind and size when the routine was read (read.media)
        mime = image_mime(data) or "image/jpeg"  # from its content: a PNG saved as .jpg is still a PNG
        tags.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data))
    tags.add(TSSE(encoding=3, text=f"routinecast {__version__}"))
    if routine.description:
        tags.add(COMM(encoding=3, lang="eng", desc="", text=routine.description))
    ids = [f"ch{index}" for index in range(len(timeline.chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text="Chapters")],
        )
    )
    for element_id, chapter in zip(ids, timeline.chapters):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=timeline.whole_ms(chapter.start),
                end_time=timeline.whole_ms(chapter.end),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=chapter.label)],
            )
        )
    tags.update_to_v23()  # e.g. TDRC becomes TYER; mutagen leaves this to the caller
    tags.save(str(path), v2_version=3, v1=0)
