"""The listening site's files, publishing what is already built, and what publish says to bad input."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from routinecast import RoutineError
from routinecast.cli import main
from routinecast.publishing import publish
from routinecast.script import record
from routinecast.write.captions import transcript
from tests.support.routines import SCRIPTS

SVG = "{http://www.w3.org/2000/svg}"


def test_every_session_gets_its_page_picture_transcript_chapters_and_cover(site):
    folder, published = site
    assert [s.name for s in published.sessions] == sorted(s.stem for s in SCRIPTS)
    for session in published.sessions:
        for ending in (".html", ".svg", ".vtt", ".chapters.json", ".cover.png"):
            assert (folder / f"{session.name}{ending}").is_file()
        timeline = record.load(folder / f"{session.name}.json")
        assert (folder / f"{session.name}.vtt").read_text(encoding="utf-8") == transcript(timeline, "vtt")
        picture = ET.parse(folder / f"{session.name}.svg").getroot()
        assert len(picture.findall(f"{SVG}rect[@class='chapter']")) == len(timeline.chapters)
        assert len(picture.findall(f"{SVG}rect[@class='speech']")) == sum(e.kind == "speech" for e in timeline.events)
        page = (folder / f"{session.name}.html").read_text(encoding="utf-8")
        assert f'<audio id="player" controls preload="metadata" src="{session.name}.mp3"' in page
        assert f'<track kind="captions" src="{session.name}.vtt"' in page
        assert page.count('<button type="button" data-start=') == len(timeline.chapters)
    assert {p.name for p in folder.iterdir() if p.name.startswith(".")} == set()  # no staging files left


def test_publishing_what_is_built_again_gives_the_same_site(site, tmp_path):
    folder, _ = site
    for path in folder.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    again = publish(tmp_path, base="https://example.org/sessions/")
    assert len(again.sessions) == len(SCRIPTS)
    for path in folder.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_command_line_publishes_without_a_feed_unless_given_an_address(site, tmp_path, capsys):
    folder, _ = site
    shutil.copy2(folder / "desk-reset.mp3", tmp_path)
    shutil.copy2(folder / "desk-reset.json", tmp_path)
    assert main(["publish", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"published 1 sessions: {tmp_path / 'index.html'}\n"
    assert not (tmp_path / "feed.xml").exists() and (tmp_path / "desk-reset.html").is_file()


def test_an_mp3_built_without_its_timeline_is_published_from_its_tags(tmp_path, capsys, site):
    # As after "routinecast build scripts/*.yaml": the chapters and length come from the MP3 itself.
    folder, _ = site
    shutil.copy2(folder / "desk-reset.mp3", tmp_path)
    assert main(["publish", str(tmp_path), "--base-url", "https://example.org/sessions/"]) == 0
    mp3, json_path = tmp_path / "desk-reset.mp3", tmp_path / "desk-reset.json"
    assert capsys.readouterr().err == (
        f"routinecast: warning: {mp3}: no timeline file beside it (desk-reset.json), so its page has no "
        f"transcript or timeline picture; build it with --timeline {json_path}, or give its routine to publish\n"
    )
    chapters = "desk-reset.chapters.json"
    assert (tmp_path / chapters).read_text(encoding="utf-8") == (folder / chapters).read_text(encoding="utf-8")
    assert not (tmp_path / "desk-reset.vtt").exists() and not (tmp_path / "desk-reset.svg").exists()
    page = (tmp_path / "desk-reset.html").read_text(encoding="utf-8")
    assert "<track" not in page and "no transcript or timeline here" in page
    assert page.count('<button type="button" data-start=') == len(record.load(folder / "desk-reset.json").chapters)
    feed = ET.parse(tmp_path / "feed.xml").getroot()
    assert feed.find("channel/item/{https://podcastindex.org/namespace/1.0}transcript") is None
    assert feed.find("channel/item/{http://www.itunes.com/dtds/podcast-1.0.dtd}duration").text == str(
        round(json.loads((folder / "desk-reset.json").read_text())["duration_ms"] / 1000)
    )


@pytest.mark.parametrize(
    "text, why",
    [
        ("{", "JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ('{"title": "x"}', "KeyError: 'sample_rate'"),
        ("[]", "TypeError: list indices must be integers or slices, not str"),
    ],
)
def test_a_damaged_timeline_file_is_named(tmp_path, site, text, why):
    folder, _ = site
    shutil.copy2(folder / "desk-reset.mp3", tmp_path)
    (tmp_path / "desk-reset.json").write_text(text, encoding="utf-8")
    with pytest.raises(RoutineError) as caught:
        publish(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'desk-reset.json'}: not a routinecast timeline file ({why}); build it again with --timeline"
    )


def test_a_folder_with_nothing_to_publish(tmp_path):
    with pytest.raises(RoutineError) as caught:
        publish(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: no MP3 files to publish; build some routines into it, or name them to build"
    )
    with pytest.raises(RoutineError) as caught:
        publish(tmp_path / "nowhere")
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: no such folder; build some routines into it first"


def test_a_session_named_like_the_site_s_own_files_is_refused(tmp_path, site):
    folder, _ = site
    shutil.copy2(folder / "desk-reset.mp3", tmp_path / "index.mp3")
    shutil.copy2(folder / "desk-reset.json", tmp_path / "index.json")
    with pytest.raises(RoutineError) as caught:
        publish(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'index.mp3'}: the site uses the name 'index'; rename this session"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.json", "index.mp3"]


def test_a_timeline_read_back_is_the_one_written(site):
    folder, _ = site
    text = (folder / "psoas-stretch.json").read_text(encoding="utf-8")
    assert record.dump(record.load(folder / "psoas-stretch.json")) == text
    assert json.loads(text)["chapters"]
