"""A session split at its sections: one file per chapter, cut from the one mix, tagged, with a playlist."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3

from routinecast import RoutineError, build
from routinecast.script import record
from routinecast.write import encoder
from routinecast.write.sections import slug
from tests.support.decoders import decode

SESSION = """
title: Morning Stretch
background: {noise: brown, level: -6dB, duck: 0dB}
steps:
  - say: Welcome.
  - section: "Warm-up: Breathe & Relax"
  - say: Breathe in slowly.
  - pause: 2s
  - section: Stretch
  - repeat: 2
    steps:
      - section: "Round {round}"
      - say: Reach up.
      - pause: 1s
"""
"""Four chapters: the session's own title over its opening, the warm-up, and two rounds ('Stretch' is directly
followed by 'Round 1', so it has no time of its own). Each round's pause is one silence event across the cut
between the rounds. The bed is loud and not ducked, so every cut falls in sound."""
NAMES = ["01-morning-stretch", "02-warm-up-breathe-relax", "03-round-1", "04-round-2"]


def test_the_parts_are_the_sessions_samples_cut_at_its_sections(write, fake, tmp_path):
    path = write(SESSION)
    whole = build(path, tmp_path / "whole.wav", settings=fake)
    split = build(path, tmp_path / "parts", settings=dataclasses.replace(fake, format="wav"), split="sections")
    assert [p.name for p in split.parts] == [f"{name}.wav" for name in NAMES]
    parts = [soundfile.read(p, dtype="int16")[0] for p in split.parts]
    session = soundfile.read(whole.output, dtype="int16")[0]
    chapters = split.timeline.chapters
    assert [len(p) for p in parts] == [c.end - c.start for c in chapters]
    # Sample for sample the single file: one levelling, and a bed that runs on across every cut, never faded there.
    assert np.array_equal(np.concatenate(parts), session)
    around = [session[c.start - 50 : c.start + 50].astype(float) for c in chapters[1:]]
    assert all(np.sqrt(np.mean(a**2)) > 100 for a in around)  # the bed sounds at each cut
    assert split.timeline == whole.timeline
    assert split.size == sum(p.stat().st_size for p in split.parts)


def test_mp3_parts_decode_to_lengths_that_add_up_to_the_session(write, fake, tmp_path):
    split = build(write(SESSION), tmp_path / "parts", settings=fake, split="sections")
    lengths = [len(decode(part)) for part in split.parts]  # ffmpeg, honouring each part's encoder delay and padding
    assert lengths == [c.end - c.start for c in split.timeline.chapters]
    assert sum(lengths) == split.timeline.length


def test_default_names_tags_and_playlist(write, fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = build(write(SESSION, "stretch.yaml"), settings=fake, split="sections")
    folder = Path("output", "stretch")
    assert result.output == folder / "stretch.m3u"
    assert sorted(os.listdir(folder)) == [*(f"{name}.mp3" for name in NAMES), "stretch.m3u"]
    assert result.output.read_text(encoding="utf-8") == (
        "#EXTM3U\n"
        "#EXTINF:1,Morning Stretch\n01-morning-stretch.mp3\n"
        "#EXTINF:4,Morning Stretch — Warm-up: Breathe & Relax\n02-warm-up-breathe-relax.mp3\n"
        "#EXTINF:2,Morning Stretch — Round 1\n03-round-1.mp3\n"
        "#EXTINF:5,Morning Stretch — Round 2\n04-round-2.mp3\n"
    )
    tags = [ID3(str(part)) for part in result.parts]
    assert [(str(t["TIT2"]), str(t["TRCK"]), str(t["TALB"])) for t in tags] == [
        ("Morning Stretch", "1/4", "Morning Stretch"),
        ("Morning Stretch — Warm-up: Breathe & Relax", "2/4", "Morning Stretch"),
        ("Morning Stretch — Round 1", "3/4", "Morning Stretch"),
        ("Morning Stretch — Round 2", "4/4", "Morning Stretch"),
    ]
    chapter = tags[1].getall("CHAP")[0]  # one chapter, the whole file
    rate = result.timeline.sample_rate
    whole = result.timeline.chapters[1]
    assert (chapter.sub_frames["TIT2"].text[0], chapter.start_time) == ("Warm-up: Breathe & Relax", 0)
    assert chapter.end_time == round((whole.end - whole.start) * 1000 / rate)


def test_each_part_has_its_own_timeline_and_captions_and_the_session_keeps_its_own(write, fake, tmp_path):
    out = tmp_path / "parts"
    result = build(
        write(SESSION),
        out,
        timeline_path=tmp_path / "all.json",
        transcript_path=tmp_path / "all.srt",
        settings=fake,
        split="sections",
    )
    assert sorted(os.listdir(out)) == sorted(
        [f"{name}{suffix}" for name in NAMES for suffix in (".mp3", ".json", ".srt")] + ["parts.m3u"]
    )
    assert (tmp_path / "all.json").read_text(encoding="utf-8") == record.dump(result.timeline)
    warm_up = json.loads((out / "02-warm-up-breathe-relax.json").read_text(encoding="utf-8"))
    speech = [e for e in result.timeline.events if e.kind == "speech"]
    start = result.timeline.chapters[1].start
    said = speech[1]  # "Breathe in slowly.", timed from the start of its part
    assert warm_up["title"] == "Morning Stretch — Warm-up: Breathe & Relax"
    assert [e for e in warm_up["events"] if e["kind"] == "speech"] == [
        {
            "kind": "speech",
            "start_ms": result.timeline.ms(said.start - start),
            "end_ms": result.timeline.ms(said.end - start),
            "text": "Breathe in slowly.",
            "step": "steps[2]",
        }
    ]
    assert warm_up["chapters"] == [
        {"title": "Warm-up: Breathe & Relax", "start_ms": 0.0, "end_ms": float(round(warm_up["duration_ms"]))}
    ]
    assert (out / "04-round-2.srt").read_text(encoding="utf-8") == "1\n00:00:00,000 --> 00:00:00,542\nReach up.\n"


def test_a_pause_across_a_cut_is_cut_with_it(write, fake, tmp_path):
    # A pause repeated round after round is one silence event of the session, across the chapters' bounds.
    path = write("""
        title: Rests
        steps:
          - say: Rest now.
          - repeat: 2
            steps:
              - section: Rest {round}
              - pause: 2s
    """)
    result = build(path, tmp_path / "parts", timeline_path=tmp_path / "t.json", settings=fake, split="sections")
    assert [e.kind for e in result.timeline.events] == ["silence", "speech", "silence", "silence"]
    events = [
        [
            (e["kind"], e["start_ms"], e["end_ms"], e["step"])
            for e in json.loads(p.with_suffix(".json").read_text())["events"]
        ]
        for p in result.parts
    ]
    assert events == [
        [("silence", 0.0, 1000.0, "output.head"), ("speech", 1000.0, 1541.95, "steps[0]")],
        [("silence", 0.0, 2000.0, "steps[1].steps[1]")],
        [("silence", 0.0, 2000.0, "steps[1].steps[1]"), ("silence", 2000.0, 5000.0, "output.tail")],
    ]


def test_a_failure_midway_leaves_nothing_written(write, fake, tmp_path, monkeypatch):
    real = encoder.encode
    calls = []

    def failing(path, *args):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(path, *args)

    monkeypatch.setattr(encoder, "encode", failing)
    with pytest.raises(RoutineError) as error:
        build(write(SESSION), tmp_path / "parts", settings=fake, split="sections")
    assert str(error.value) == (
        f"{tmp_path / 'parts'}: cannot write the output there (No space left on device); "
        "free some space or choose another folder"
    )
    assert os.listdir(tmp_path / "parts") == []


@pytest.mark.parametrize(
    ("split", "output", "message"),
    [
        ("pages", None, "--split pages: no such split; choose one of: sections"),
        ("sections", "x.mp3", "x.mp3: with --split the output is the folder for the parts; name a folder, not a file"),
        ("sections", "x.m3u", "x.m3u: with --split the output is the folder for the parts; name a folder, not a file"),
    ],
)
def test_a_split_that_cannot_be_made_is_refused_before_any_work(write, fake, tmp_path, split, output, message):
    with pytest.raises(RoutineError) as error:
        build(write(SESSION), output, settings=fake, split=split)
    assert str(error.value) == message
    assert not (tmp_path / "cache").exists()


def test_a_session_without_sections_is_one_part(write, fake, tmp_path):
    result = build(write("title: Quick\nsteps:\n  - say: Hello.\n"), tmp_path / "q", settings=fake, split="sections")
    assert [p.name for p in result.parts] == ["01-quick.mp3"]
    assert str(ID3(str(result.parts[0]))["TIT2"]) == "Quick"


def test_a_section_with_no_time_of_its_own_makes_no_file(write, fake, tmp_path):
    path = write("title: T\noutput: {tail: 0s}\nsteps:\n  - say: Hi.\n  - section: End\n")
    result = build(path, tmp_path / "t", settings=fake, split="sections")
    assert [(c.label, c.end - c.start) for c in result.timeline.chapters][1] == ("End", 0)
    assert [p.name for p in result.parts] == ["01-t.mp3"]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Warm-up: Breathe & Relax", "warm-up-breathe-relax"),
        ("Rückenschule — Übung 2", "ruckenschule-ubung-2"),
        ("呼吸", "section"),
        ("A" * 30 + " " + "b" * 30, "a" * 30 + "-" + "b" * 9),
        ("x" * 39 + " y", "x" * 39),
    ],
)
def test_slug(title, name):
    assert slug(title) == name
