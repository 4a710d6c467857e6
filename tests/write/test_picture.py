"""The timeline picture: every shape where its time says, with a tooltip; and ``plan --svg``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from routinecast.cli import main
from routinecast.model import Background
from routinecast.script.timeline import Event, Span, Timeline
from routinecast.write.picture import LEFT, MIN_WIDTH, RIGHT, WIDTH, timeline_svg

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


def test_plan_writes_the_picture(tmp_path, fake, write, capsys):
    routine = write("title: T\nsteps:\n  - section: One\n  - say: Hello there.\n  - hold: 5s\n")
    picture = tmp_path / "t.svg"
    assert main(["plan", str(routine), "--svg", str(picture), "--engine", "fake", "--cache-dir", str(tmp_path)]) == 0
    svg = ET.parse(picture).getroot()
    assert len(shapes(svg, "chapter")) == 1 and len(shapes(svg, "hold")) == 1 and len(shapes(svg, "speech")) == 1


def test_plan_refuses_a_picture_name_that_is_not_svg(tmp_path, write, capsys):
    routine = write("title: T\nsteps:\n  - say: Hello.\n")
    assert main(["plan", str(routine), "--svg", str(tmp_path / "t.png")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 't.png'}: the timeline picture must end in .svg\n"
    assert not (tmp_path / "t.png").exists()
