"""The timeline picture: every shape where its time says, with a tooltip; and ``plan --svg``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from routinecast.build import plan
from routinecast.cli import main
from routinecast.model import Background
from routinecast.script.timeline import Event, Span, Timeline
from routinecast.write.picture import LEFT, MIN_WIDTH, RIGHT, WIDTH, timeline_svg
from tests.support.routines import SCRIPTS

SVG = "{http://www.w3.org/2000/svg}"
RATE = 1000  # a sample a millisecond keeps the arithmetic plain
PLOT = WIDTH - LEFT - RIGHT


def session() -> Timeline:
    events = (
        Event("silence", 0, 1000, "head"),
        Event("speech", 1000, 4000, "steps[0]", text="Lie <down> & rest"),
        Event("tone", 5000, 10, "steps[1]", source="bell"),
        Event("silence", 5010, 30_000, "steps[2]"),
        Event("speech", 35_010, 4_990, "steps[3]", text="And   release."),
    )
    windows = (Span("hold", 5010, 35_010, "steps[2]"),)
    chapters = (Span("chapter", 0, 5010, "Start"), Span("chapter", 5010, 40_000, "A very long chapter title"))
    return Timeline("Session & <test>", RATE, events, windows, chapters, Background())


def shapes(svg: ET.Element, kind: str) -> list[ET.Element]:
    return svg.findall(f"{SVG}rect[@class='{kind}']")


def test_each_shape_sits_at_its_time_with_a_tooltip():
    svg = ET.fromstring(timeline_svg(session()))
    assert svg.get("aria-label") == "Timeline of Session & <test>, 40.0s"
    speech = shapes(svg, "speech")
    assert [(float(s.get("x")), float(s.get("width"))) for s in speech] == [
        (round(LEFT + 1000 / 40_000 * PLOT, 2), round(4000 / 40_000 * PLOT, 2)),
        (round(LEFT + 35_010 / 40_000 * PLOT, 2), round(LEFT + PLOT - round(LEFT + 35_010 / 40_000 * PLOT, 2), 2)),
    ]
    assert [s.find(f"{SVG}title").text for s in speech] == [
        "Speech 00:01.0–00:05.0: Lie <down> & rest",
        "Speech 00:35.0–00:40.0: And release.",
    ]
    (hold,) = shapes(svg, "hold")
    assert float(hold.get("width")) == round(
        round(LEFT + 35_010 / 40_000 * PLOT, 2) - round(LEFT + 5010 / 40_000 * PLOT, 2), 2
    )
    assert hold.find(f"{SVG}title").text == "Hold 30 s (00:05.0–00:35.0)"
    (bell,) = shapes(svg, "tone")
    assert float(bell.get("width")) == MIN_WIDTH  # 10 ms is a fraction of a unit: drawn all the same
    assert [c.find(f"{SVG}title").text for c in shapes(svg, "chapter")] == [
        "Start (00:00.0–00:05.0)",
        "A very long chapter title (00:05.0–00:40.0)",
    ]
    assert len(shapes(svg, "background")) == 1
    titles = [t.text for t in svg.findall(f"{SVG}text[@class='chapter-title']")]
    assert titles[1] == "A very long chapter title" and titles[0] in ("Start", "St…", "")
    ticks = [t.text for t in svg.findall(f"{SVG}text[@text-anchor='middle']")]
    assert ticks == ["0:00", "0:10", "0:20", "0:30", "0:40"]


def test_the_same_timeline_gives_the_same_bytes():
    assert timeline_svg(session()) == timeline_svg(session())


PLANNED = """
title: Lie <down> & rest
steps:
  - section: Arrive & <settle>
  - say: Lie on your back, knees bent.
  - bell: soft
  - section: Hold
  - hold: 30s
    say: Press your back into the floor.
  - section: Breathe
  - breathe: {in: 4, hold: 2, out: 6, rest: 1, cycles: 2, cue: words}
"""


def test_a_planned_session_is_drawn_shape_for_shape(fake, write):
    timeline = plan(write(PLANNED), fake, level=False).timeline
    text = timeline_svg(timeline)
    svg = ET.fromstring(text)  # parses: the <&> in the titles is escaped
    assert "Arrive &amp; &lt;settle&gt;" in text and svg.get("aria-label").startswith("Timeline of Lie <down> & rest, ")
    speech = [e for e in timeline.events if e.kind == "speech"]
    assert len(shapes(svg, "speech")) == len(speech) > 0
    assert len(shapes(svg, "tone")) == sum(e.kind == "tone" for e in timeline.events) > 0

    def at(sample: int) -> float:
        return round(LEFT + sample / timeline.length * PLOT, 2)

    chapters = shapes(svg, "chapter")
    assert [c.find(f"{SVG}title").text.split(" (")[0] for c in chapters] == ["Arrive & <settle>", "Hold", "Breathe"]
    for drawn, chapter in zip(chapters, timeline.chapters, strict=True):
        assert float(drawn.get("x")) == at(chapter.start)
        assert float(drawn.get("width")) == pytest.approx(at(chapter.end) - at(chapter.start), abs=0.01)
    (hold,) = shapes(svg, "hold")
    assert float(hold.get("width")) == pytest.approx(30 * timeline.sample_rate / timeline.length * PLOT, abs=0.01)
    assert hold.find(f"{SVG}title").text.startswith("Hold 30 s (")
    assert [len(shapes(svg, kind)) for kind in ("in", "hold_in", "out", "rest")] == [2, 2, 2, 2]
    for kind in ("chapter", "speech", "hold", "in", "hold_in", "out", "rest", "tone"):
        for shape in shapes(svg, kind):
            assert shape.find(f"{SVG}title").text


def test_plan_writes_the_picture(tmp_path, fake, write, capsys):
    routine = write("title: T\nsteps:\n  - section: One\n  - say: Hello there.\n  - hold: 5s\n")
    picture = tmp_path / "t.svg"
    assert main(["plan", str(routine), "--svg", str(picture), "--engine", "fake", "--cache-dir", str(tmp_path)]) == 0
    svg = ET.parse(picture).getroot()
    assert len(shapes(svg, "chapter")) == 1 and len(shapes(svg, "hold")) == 1 and len(shapes(svg, "speech")) == 1


def test_plan_gives_one_line_for_a_folder_it_cannot_write(tmp_path, write, capsys):
    routine = write("title: T\nsteps:\n  - say: Hello.\n")
    (tmp_path / "taken").write_text("a file, not a folder")
    args = ["plan", str(routine), "--svg", str(tmp_path / "taken" / "t.svg"), "--engine", "fake"]
    assert main([*args, "--cache-dir", str(tmp_path / "cache")]) == 2
    assert (
        capsys.readouterr().err
        == f"{tmp_path / 'taken'}: cannot write the output there (File exists); choose another folder\n"
    )


def test_plan_refuses_a_picture_name_that_is_not_svg(tmp_path, write, capsys):
    routine = write("title: T\nsteps:\n  - say: Hello.\n")
    assert main(["plan", str(routine), "--svg", str(tmp_path / "t.png")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 't.png'}: the timeline picture must end in .svg\n"
    assert not (tmp_path / "t.png").exists()


def test_a_shipped_routine_planned_with_espeak(tmp_path, capsys):
    script = next(path for path in SCRIPTS if path.name == "desk-reset.yaml")
    picture = tmp_path / "desk.svg"
    assert main(["plan", str(script), "--svg", str(picture)]) == 0
    assert capsys.readouterr().out  # the plan's lines are still printed
    timeline = plan(script).timeline  # from the same speech cache
    svg = ET.parse(picture).getroot()
    assert len(shapes(svg, "chapter")) == len(timeline.chapters) > 1
    assert len(shapes(svg, "speech")) == sum(e.kind == "speech" for e in timeline.events)
