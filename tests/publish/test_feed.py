"""The podcast feed, read by a real feed parser, and the chapters files it points to."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from mutagen.id3 import ID3

from routinecast import RoutineError
from routinecast.publish.feed import base_url
from tests.publish.conftest import BASE
from tests.support.routines import SCRIPTS

PODCAST = "{https://podcastindex.org/namespace/1.0}"


def test_the_feed_parses_and_every_enclosure_is_the_file_it_names(site):
    folder, published = site
    feed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "routinecast"  # the album every shipped routine shares
    assert feed.feed.image.href == BASE + "cover.png"
    assert len(feed.entries) == len(SCRIPTS)
    for entry in feed.entries:
        (enclosure,) = entry.enclosures
        name = enclosure.href.removeprefix(BASE)
        assert enclosure.href == BASE + name and (folder / name).is_file()
        assert int(enclosure.length) == (folder / name).stat().st_size
        assert enclosure.type == "audio/mpeg"
        timeline = json.loads((folder / name).with_suffix(".json").read_text(encoding="utf-8"))
        assert int(entry.itunes_duration) == round(timeline["duration_ms"] / 1000)
        assert entry.title == ID3(folder / name)["TIT2"].text[0]
        assert entry.image.href == BASE + name.replace(".mp3", ".cover.png")
    assert sorted(e.enclosures[0].href for e in feed.entries) == sorted(BASE + s.stem + ".mp3" for s in SCRIPTS)


def test_each_item_names_its_chapters_and_transcript(site):
    folder, _ = site
    channel = ET.parse(folder / "feed.xml").getroot().find("channel")
    for item in channel.findall("item"):
        audio = item.find("enclosure").get("url").removeprefix(BASE)
        stem = audio.removesuffix(".mp3")
        chapters = item.find(f"{PODCAST}chapters")
        transcript = item.find(f"{PODCAST}transcript")
        assert chapters.attrib == {"url": f"{BASE}{stem}.chapters.json", "type": "application/json+chapters"}
        assert transcript.attrib == {
            "url": f"{BASE}{stem}.vtt", "type": "text/vtt", "language": "en", "rel": "captions"
        }  # fmt: skip
        # The chapters file holds the MP3's own chapter frames, in seconds.
        frames = sorted(ID3(folder / audio).getall("CHAP"), key=lambda frame: frame.start_time)
        data = json.loads((folder / f"{stem}.chapters.json").read_text(encoding="utf-8"))
        assert data["version"] == "1.2.0"
        assert [(c["startTime"], c["endTime"], c["title"]) for c in data["chapters"]] == [
            (f.start_time / 1000, f.end_time / 1000, f.sub_frames["TIT2"].text[0]) for f in frames
        ]
        assert (folder / f"{stem}.vtt").read_text(encoding="utf-8").startswith("WEBVTT\n")


@pytest.mark.parametrize(
    "text, expected",
    [("https://example.org/a", "https://example.org/a/"), ("http://host:8000/", "http://host:8000/")],
)
def test_the_base_address_ends_in_a_slash(text, expected):
    assert base_url(text) == expected


@pytest.mark.parametrize("text", ["example.org/sessions", "ftp://example.org/", "https:///x", ""])
def test_a_base_address_that_is_not_one_is_refused(text):
    with pytest.raises(RoutineError) as caught:
        base_url(text)
    assert str(caught.value) == (f"--base-url {text}: give the site's full address, e.g. https://example.org/sessions/")
