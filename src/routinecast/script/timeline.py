"""Lay a script out in time: integer sample positions for every event, window and chapter.

The foreground ``events`` are ordered, gap-free and non-overlapping, from the
first sample of the session to the last. A hold or breath window lasts exactly
its declared length; cues are placed inside it at their offsets, taking time
from its silence. A cue that cannot fit is a :class:`RoutineError`, never a
silent overlap or drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Problem, RoutineError
from ..model import Background, Routine, Where
from ..units import format_ms
from .items import After, Chapter, Cued, Item, Recording, Silent, Spoken, Tone, Window


@dataclass(frozen=True)
class Event:
    """One stretch of the foreground."""

    kind: str
    """``speech``, ``silence``, ``tone`` or ``sound``."""
    start: int
    """First sample."""
    length: int
    """Number of samples."""
    step: str
    """Path of the step it comes from."""
    text: str | None = None
    """What is said (speech only), as written in the routine."""
    source: str | None = None
    """Key of the audio to play: a clip key, a tone key or a sound key."""

    @property
    def end(self) -> int:
        """One past the last sample."""
        return self.start + self.length


@dataclass(frozen=True)
class Span:
    """A titled or typed stretch of time: a chapter or a window."""

    kind: str
    """``chapter``, or a window kind (``hold``, ``in``, ``hold_in``, ``out``, ``rest``)."""
    start: int
    """First sample."""
    end: int
    """One past the last sample."""
    label: str
    """The chapter title, or the window's step path."""


@dataclass(frozen=True)
class Timeline:
    """The whole session, timed in samples."""

    title: str
    """Session title."""
    sample_rate: int
    """Samples per second."""
    events: tuple[Event, ...]
    """Foreground events, gap-free, in order."""
    windows: tuple[Span, ...]
    """Holds and breath phases."""
    chapters: tuple[Span, ...]
    """Chapters, in order, covering the session."""
    background: Background | None = None
    """The bed under the whole session, if any."""

    @property
    def length(self) -> int:
        """Total samples."""
        return self.events[-1].end if self.events else 0

    def ms(self, samples: int) -> float:
        """A sample position in milliseconds, rounded to a microsecond."""
        return round(samples * 1000 / self.sample_rate, 3)

    def whole_ms(self, samples: int) -> int:
        """A sample position in whole milliseconds: what ID3 chapter frames hold, and so the chapter
        times of every file that lists them, and caption times."""
        return round(self.ms(samples))


def to_samples(ms: int, sample_rate: int) -> int:
    """Milliseconds to samples, rounded to the nearest sample."""
    return (ms * sample_rate + 500) // 1000


def layout(routine: Routine, items: list[Item], lengths: Mapping[str, int]) -> Timeline:
    """Place ``items`` in time. ``lengths`` gives the sample count of each clip, tone and sound key."""
    return _Layout(routine, lengths).run(items)


class _Layout:
    def __init__(self, routine: Routine, lengths: Mapping[str, int]):
        self.routine = routine
        self.rate = routine.output.sample_rate
        self.lengths = lengths
        self.events: list[Event] = []
        self.windows: list[Span] = []
        self.marks: list[tuple[int, str]] = []
        self.pos = 0
        self.problems: dict[Problem, None] = {}  # each once, in order: a dict keeps order and drops repeats

    def run(self, items: list[Item]) -> Timeline:
        head = Where("output.head", 1, 1)
        self.silence(to_samples(self.routine.output.head_ms, self.rate), head)
        previous: Item | None = None
        for item in items:
            if isinstance(previous, Spoken) and _opens_with_sound(item):
                self.silence(to_samples(self.routine.voice.gap_ms, self.rate), item.where)
            self.place(item)
            if not isinstance(item, Chapter):
                previous = item
        self.silence(to_samples(self.routine.output.tail_ms, self.rate), Where("output.tail", 1, 1))
        if self.problems:
            raise RoutineError(self.problems)
        return Timeline(
            self.routine.title,
            self.rate,
            tuple(self.events),
            tuple(self.windows),
            self.chapters(),
            self.routine.background,
        )

    def chapters(self) -> tuple[Span, ...]:
        marks = self.marks
        first_sound = next((e.start for e in self.events if e.kind != "silence"), self.pos)
        if not marks or marks[0][0] > first_sound:
            marks = [(0, self.routine.title), *marks]
        else:
            marks = [(0, marks[0][1]), *marks[1:]]  # the quiet head belongs to the first chapter
        # A section directly followed by another section has no time of its own: keep the last.
        kept = [m for i, m in enumerate(marks) if i + 1 == len(marks) or marks[i + 1][0] > m[0]]
        ends = [start for start, _ in kept[1:]] + [self.pos]
        return tuple(Span("chapter", start, end, title) for (start, title), end in zip(kept, ends))

    def add(self, kind: str, length: int, where: Where, text: str | None = None, source: str | None = None) -> None:
        if length > 0:
            self.events.append(Event(kind, self.pos, length, where.path, text, source))
            self.pos += length

    def silence(self, length: int, where: Where) -> None:
        # Adjacent silences from the same step are one event.
        last = self.events[-1] if self.events else None
        if last and last.kind == "silence" and last.step == where.path and length > 0:
            self.events[-1] = Event("silence", last.start, last.length + length, last.step)
            self.pos += length
        else:
            self.add("silence", length, where)

    def place(self, item: Item) -> None:
        if isinstance(item, Chapter):
            self.marks.append((self.pos, item.title))
        elif isinstance(item, Silent):
            self.silence(to_samples(item.ms, self.rate), item.where)
        elif isinstance(item, Window):
            self.window(item)
        else:
            self.sound(item)

    def sound(self, item: Spoken | Tone | Recording) -> None:
        if isinstance(item, Spoken):
            length = self.lengths[item.key]
            if length == 0:
                self.fail(item.where, f"the engine made no sound for {item.text!r}; write words it can speak")
            self.add("speech", length, item.where, item.text, item.key)
        elif isinstance(item, Tone):
            self.add("tone", self.lengths[item.key], item.where, source=item.key)
        else:
            self.add("sound", self.lengths[item.key], item.where, source=item.key)

    def window(self, window: Window) -> None:
        start = self.pos
        end = start + to_samples(window.ms, self.rate)
        previous: tuple[int, Cued] | None = None
        for place, cue in window.cues:
            if isinstance(place, After):
                at = self.pos + to_samples(place.ms, self.rate)
                offset = (at - start) * 1000 // self.rate
            else:
                at, offset = start + to_samples(place, self.rate), place
            if self.pos > at and previous is not None:
                self.clash(window, previous, (offset, cue), self.pos - at)
                return self.skip_to(window, start, end)
            if at >= end and isinstance(place, After):
                self.fail(
                    cue.where,
                    f"{_name(cue)} would start {format_ms(offset)} into the {window.label}, after it ends; "
                    "use a shorter 'after', fewer cues before it, or a longer hold",
                )
                return self.skip_to(window, start, end)
            self.silence(at - self.pos, window.where)
            self.sound(cue)
            previous = (offset, cue)
        if self.pos > end and previous is not None:
            self.clash(window, previous, None, self.pos - end)
            return self.skip_to(window, start, end)
        self.silence(end - self.pos, window.where)
        self.windows.append(Span(window.kind, start, end, window.where.path))

    def skip_to(self, window: Window, start: int, end: int) -> None:
        # After a clash the timeline is discarded; laying out goes on only so that
        # every clash in the routine is reported at once.
        self.pos = end

    def clash(self, window: Window, first: tuple[int, Cued], second: tuple[int, Cued] | None, over: int) -> None:
        over_ms = -(-over * 1000 // self.rate)  # rounded up: "by 0 ms" would be no clash
        verb = "is still speaking" if isinstance(first[1], Spoken) else "is still sounding"
        what = f"{_name(first[1])} at {format_ms(first[0])} of the {window.label} {verb}"
        if second is None:
            message = f"{what} when the {window.label} ends (overruns by {over_ms} ms)"
        else:
            starts = f"{_name(second[1])} starts at {format_ms(second[0])}"
            message = f"{what} when {starts} (overlaps by {over_ms} ms)"
        hint = "use fewer or shorter cues, a longer window, or a faster voice.rate"
        self.fail(first[1].where, f"{message}; {hint}")

    def fail(self, where: Where, message: str) -> None:
        # A step in a repeat or in sides is laid out, and fails, each round alike: it is reported once.
        self.problems.setdefault(Problem(where.file or self.routine.source, where.line, where.col, message))


def _opens_with_sound(item: Item) -> bool:
    """Whether ``item`` would make a sound the instant it starts (and so needs a gap after speech)."""
    if isinstance(item, Spoken):
        return not item.anchored
    if isinstance(item, Window):
        return item.opens_with_sound and not item.attached
    return isinstance(item, (Tone, Recording))


def _name(cue: Cued) -> str:
    if isinstance(cue, Spoken):
        return repr(cue.text)
    if isinstance(cue, Recording):
        return f"the sound '{cue.step.path.name}'"
    return f"the {cue.name.removeprefix('bell-')} bell" if cue.name.startswith("bell-") else f"the {cue.name} tone"
