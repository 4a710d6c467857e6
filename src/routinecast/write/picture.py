"""A picture of a session's timeline, as SVG: chapters, speech, holds and breaths, bells and sounds.

One row per kind of thing on a shared time axis, each shape with a ``<title>``
(a tooltip in browsers) and a class per kind, so a page's style sheet or a
test can find them. Built with ElementTree, so every text is escaped; the same
timeline always gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import RoutineError
from ..script.timeline import Timeline
from ..units import format_clock, format_ms
from .files import Staging, write_failure

WIDTH = 960
"""Width of the picture in user units."""
LEFT, RIGHT = 90, 16  # room for the row labels, and the margin after the plot
MIN_WIDTH = 0.5  # so a short bell still shows
# Okabe-Ito colours: told apart with any colour vision.
COLOURS = {
    "speech": "#0072B2",
    "in": "#56B4E9",
    "hold_in": "#009E73",
    "out": "#E69F00",
    "hold": "#CC79A7",
    "rest": "#999999",
    "tone": "#D55E00",
    "sound": "#F0E442",
    "background": "#BBBBBB",
}
ROWS = (("speech", "Speech"), ("windows", "Holds, breaths"), ("marks", "Bells, sounds"))
ROW_HEIGHT, TOP = 22, 34
NAMES = {"in": "Breathe in", "hold_in": "Hold the breath", "out": "Breathe out", "hold": "Hold", "rest": "Rest"}


def timeline_svg(timeline: Timeline) -> str:
    """The picture of ``timeline`` as an SVG document."""
    plot = WIDTH - LEFT - RIGHT
    length = max(timeline.length, 1)
    rows = {key: TOP + i * (ROW_HEIGHT + 6) for i, (key, _) in enumerate(ROWS)}
    axis = TOP + len(ROWS) * (ROW_HEIGHT + 6) + 4
    height = axis + 46
    total = format_ms(timeline.ms(timeline.length))
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        width=str(WIDTH),
        height=str(height),
        role="img",
        **{"aria-label": f"Timeline of {timeline.title}, {total}", "font-family": "sans-serif", "font-size": "11"},
    )
    ET.SubElement(svg, "title").text = f"{timeline.title} ({total})"

    def x(sample: int) -> float:
        return round(LEFT + sample / length * plot, 2)

    def box(kind: str, start: int, end: int, y: float, h: float, tip: str, fill: str, **extra: str) -> None:
        width = max(round(x(end) - x(start), 2), MIN_WIDTH)
        attributes = {"class": kind, "x": f"{x(start):g}", "y": f"{y:g}", "width": f"{width:g}", "height": f"{h:g}"}
        shape = ET.SubElement(svg, "rect", {**attributes, "fill": fill, **extra})
        ET.SubElement(shape, "title").text = tip

    def when(start: int, end: int) -> str:
        return f"{format_clock(timeline.ms(start))}–{format_clock(timeline.ms(end))}"

    for i, chapter in enumerate(timeline.chapters):
        tip = f"{chapter.label} ({when(chapter.start, chapter.end)})"
        box("chapter", chapter.start, chapter.end, 0, axis, tip, "#f2f2f2" if i % 2 else "#e4e4e4")
        room = x(chapter.end) - x(chapter.start) - 6
        label = _fit(chapter.label, room)
        if label:
            text = ET.SubElement(svg, "text", {"x": f"{x(chapter.start) + 3:g}", "y": "14", "class": "chapter-title"})
            text.text = label
            ET.SubElement(text, "title").text = tip
    for key, name in ROWS:
        ET.SubElement(svg, "text", {"x": "4", "y": f"{rows[key] + 15}"}).text = name
    if timeline.background is not None:
        tip = f"Background bed ({when(0, timeline.length)})"
        box("background", 0, timeline.length, rows["speech"] + ROW_HEIGHT + 1, 3, tip, COLOURS["background"])
    for event in timeline.events:
        if event.kind == "speech":
            tip = f"Speech {when(event.start, event.end)}: {' '.join((event.text or '').split())}"
            box("speech", event.start, event.end, rows["speech"], ROW_HEIGHT, tip, COLOURS["speech"])
        elif event.kind in ("tone", "sound"):
            what = "Bell or tone" if event.kind == "tone" else "Sound"
            tip = f"{what} {when(event.start, event.end)}"
            box(event.kind, event.start, event.end, rows["marks"], ROW_HEIGHT, tip, COLOURS[event.kind])
    for window in timeline.windows:
        seconds = (window.end - window.start) / timeline.sample_rate
        tip = f"{NAMES.get(window.kind, window.kind)} {round(seconds, 1):g} s ({when(window.start, window.end)})"
        fill = COLOURS.get(window.kind, COLOURS["rest"])
        box(window.kind, window.start, window.end, rows["windows"], ROW_HEIGHT, tip, fill)
    ET.SubElement(svg, "line", x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=str(axis), y2=str(axis), stroke="#333")
    step = _tick_ms(timeline.ms(timeline.length))
    for ms in range(0, int(timeline.ms(timeline.length)) + 1, step):
        at = x(round(ms * timeline.sample_rate / 1000))
        ET.SubElement(svg, "line", x1=f"{at:g}", x2=f"{at:g}", y1=str(axis), y2=str(axis + 5), stroke="#333")
        ET.SubElement(
            svg, "text", {"x": f"{at:g}", "y": str(axis + 17), "text-anchor": "middle"}
        ).text = f"{ms // 60_000}:{ms // 1000 % 60:02d}"
    _legend(svg, axis + 36)
    ET.indent(svg, space=" ")
    return ET.tostring(svg, encoding="unicode", xml_declaration=True) + "\n"


def check_picture_path(path: Path) -> None:
    """Refuse a picture file name that does not end in ``.svg`` (before any work is done)."""
    if path.suffix.lower() != ".svg":
        raise RoutineError(f"{path}: the timeline picture must end in .svg")


def write_picture(path: Path, timeline: Timeline) -> None:
    """Write ``timeline``'s picture to ``path`` atomically; a folder that cannot be written is a RoutineError."""
    check_picture_path(path)
    try:
        with Staging() as staging:
            staging.write_text(path, timeline_svg(timeline))
            staging.commit()
    except OSError as exc:
        raise write_failure(exc, path) from None


def _fit(text: str, room: float) -> str:
    """``text`` shortened with an ellipsis to fit ``room`` units at about 6 units a letter, or nothing."""
    letters = int(room // 6)
    if letters >= len(text):
        return text
    return text[: letters - 1] + "…" if letters >= 4 else ""


def _tick_ms(total_ms: float) -> int:
    """A step between time ticks that gives at most about twelve of them."""
    for step in (10, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if total_ms / (step * 1000) <= 12:
            return step * 1000
    return 7200 * 1000


def _legend(svg: ET.Element, y: int) -> None:
    at = LEFT
    for kind in ("speech", "in", "hold_in", "out", "rest", "hold", "tone", "sound"):
        ET.SubElement(svg, "rect", x=str(at), y=str(y - 9), width="10", height="10", fill=COLOURS[kind])
        name = {"speech": "Speech", "tone": "Bell", "sound": "Sound"}.get(kind) or NAMES[kind]
        ET.SubElement(svg, "text", x=str(at + 14), y=str(y)).text = name
        at += 14 + 7 * len(name) + 14
