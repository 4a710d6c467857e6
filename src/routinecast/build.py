"""The pipeline end to end: routine file in, audio file (and side outputs) out.

Everything is computed first (validation, script, speech, timing, tones);
files are written last, each to a temporary name, and renamed together.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import formats
from .cache import ClipStore, default_cache_dir
from .errors import Problem, RoutineError
from .formats import MAX_SESSION_MS, frame_samples
from .mix import mixer
from .mix.background import Bed, bed_loudness
from .model import Routine
from .pool import Pool, result
from .read.routine import load_routine
from .script import record
from .script.expansion import expand, tells_session_time
from .script.timeline import Timeline, layout
from .settings import Settings, with_overrides
from .signals import Finishing
from .sound.bank import AudioBank
from .sound.levelling import Codec
from .sound.narration import narrate
from .speech.engines import open_engine
from .units import format_ms
from .write import captions, encoder, sections, segments
from .write.files import Staging, check_outputs, write_failure
from .write.mp3 import round_trip
from .write.parts import encode_parts
from .write.tags import wav_info, write_tags

# Shorter sessions encode in less time than helper processes take to start.
PARALLEL_SECONDS = 120
SESSION_TIME_TRIES = 3
"""Times a routine that says ``{session_time}`` is laid out to find the length it says (two suffice but
for a length on the edge of a minute)."""


@dataclass(frozen=True)
class Plan:
    """A routine timed with real speech, not yet rendered."""

    routine: Routine
    """The validated routine (with command-line overrides applied)."""
    timeline: Timeline
    """Where everything happens."""
    bank: AudioBank
    """The audio behind each event."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    output: Path
    """The audio file (split, the playlist of its parts)."""
    timeline: Timeline
    """Its timeline (split, the whole session's)."""
    size: int
    """Bytes in the audio file (split, in all its parts)."""
    seconds: float
    """Wall time of the build."""
    parts: tuple[Path, ...] = ()
    """The files of a split session, in order (none when it is not split)."""


Progress = Callable[[str, int, int], None]


def default_output(routine_path: Path, fmt: str = "mp3") -> Path:
    """``output/<routine name>.<fmt>`` under the current folder."""
    return Path("output") / f"{Path(routine_path).stem}.{fmt}"


def check(path: str | Path, settings: Settings = Settings(), fast: bool = False) -> Timeline | None:
    """Everything a build does short of levelling and writing: every error a build would meet is raised.

    The routine is validated, the files it names are checked, its lines are
    spoken (or taken from the cache, which they then fill) and laid out, so
    cues that clash with real speech are found too. ``fast`` stops before
    speaking (and returns no timeline): cues that clash are not found then.
    """
    if fast:
        expand(with_overrides(load_routine(path, settings.parameters), settings))
        return None
    return plan(path, settings, level=False).timeline


def plan(
    path: str | Path,
    settings: Settings = Settings(),
    stack: ExitStack | None = None,
    progress: Progress | None = None,
    pool: Pool | None = None,
    level: bool = True,
) -> Plan:
    """Validate, expand, synthesize (or reuse from the cache), level and lay out a routine.

    Pass ``stack`` to keep a throwaway cache alive for rendering afterwards, and
    ``pool`` to level speech in its workers (else it is done in this process).
    ``level=False`` skips the voice measurement and levelling, which change no
    length: the timeline is the same, the bank's speech is not levelled.
    """
    routine = with_overrides(load_routine(path, settings.parameters), settings)
    items = expand(routine)
    owned = stack is None
    stack = stack or ExitStack()
    try:
        pool = pool or Pool(1)
        if settings.use_cache:
            store = ClipStore(settings.cache_dir or default_cache_dir())
        else:
            store = ClipStore(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="routinecast-"))))
        opener = lambda name: open_engine(name, settings.jobs, settings.timeout)  # noqa: E731
        measuring = None
        if routine.background is not None and level:  # measured in a helper while the voice speaks
            measuring = pool.submit(bed_loudness, routine.background, routine.output.sample_rate, store)
        if tells_session_time(routine):
            # Saying the session's length changes it a little: lay it out until the words say what it is.
            for _ in range(SESSION_TIME_TRIES):
                bank = narrate(routine, items, store, pool, opener, None, False, progress)
                bank.add_items(routine, items)
                told = layout(routine, items, bank.lengths())
                again = expand(routine, round(told.ms(told.length)))
                if again == items:
                    break
                items = again
        bank = narrate(routine, items, store, pool, opener, _codec(routine), level, progress)
        bank.add_items(routine, items)
        timeline = layout(routine, items, bank.lengths())
        if measuring is not None:
            result(measuring)  # remembered in the store, where the bed finds it
    finally:
        if owned:
            stack.close()
    if timeline.length == 0:
        raise RoutineError(
            Problem(routine.source, 1, 1, "the session has nothing to hear; add a step that speaks, waits or rings")
        )
    if timeline.ms(timeline.length) > MAX_SESSION_MS:
        raise RoutineError(
            Problem(
                routine.source,
                1,
                1,
                f"session is {format_ms(timeline.ms(timeline.length))} long, over the 12-hour limit; shorten it",
            )
        )
    return Plan(routine, timeline, bank)


def build(
    path: str | Path,
    output: str | Path | None = None,
    *,
    timeline_path: str | Path | None = None,
    transcript_path: str | Path | None = None,
    settings: Settings = Settings(),
    progress: Progress | None = None,
    split: str | None = None,
) -> BuildResult:
    """Build the routine at ``path`` into an audio file, and optional timeline and transcript files.

    ``split="sections"`` writes one file per section instead, into the folder ``output`` (default
    ``output/<routine name>/``) with a playlist of them (see :mod:`.write.sections`).
    """
    started = time.perf_counter()
    if split is not None:
        sections.check_split(split, output)
    fmt = settings.format or (Path(output).suffix.lower().lstrip(".") if output and not split else None)
    if output is not None and not split and fmt not in formats.FORMATS:
        raise RoutineError(f"{output}: the output must end in .mp3 or .wav (or give --format)")
    transcript_fmt = captions.transcript_format(Path(transcript_path)) if transcript_path else None
    if timeline_path and Path(timeline_path).suffix.lower() != ".json":
        raise RoutineError(f"{timeline_path}: the timeline file must end in .json")
    sides = {"--timeline": timeline_path, "--transcript": transcript_path}
    check_outputs(Path(path), Path(output) if output else default_output(Path(path), fmt or "mp3"), sides)
    with Finishing() as finishing, ExitStack() as stack:
        jobs = settings.jobs or os.cpu_count() or 1
        pool = stack.enter_context(Pool(jobs))
        planned = plan(path, dataclasses.replace(settings, format=fmt), stack, progress, pool)
        routine, timeline = planned.routine, planned.timeline
        fmt = routine.output.format or "mp3"
        target = Path(output) if output else default_output(Path(path), fmt)
        parts = []
        if split:
            folder = Path(output) if output else target.with_suffix("")
            parts, target = sections.plan_sections(timeline, folder, fmt), sections.playlist_path(folder)
        check_outputs(
            Path(path), target, {**sides, **sections.side_outputs(parts, bool(timeline_path), transcript_fmt)}
        )
        try:
            with Staging() as staging:
                if parts:
                    mix = _mix(planned, progress)
                    size = sections.write_sections(
                        staging, parts, routine, mix, fmt, bool(timeline_path), transcript_fmt, target
                    )
                else:
                    audio_tmp = staging.path_for(target)
                    _render(audio_tmp, planned, fmt, pool, progress)
                    if fmt == "mp3":
                        write_tags(audio_tmp, routine, timeline)
                    size = audio_tmp.stat().st_size
                if timeline_path:
                    staging.write_text(Path(timeline_path), record.dump(timeline))
                if transcript_path:
                    staging.write_text(Path(transcript_path), captions.transcript(timeline, transcript_fmt))
                finishing.start()  # from here the build is done but for renaming and cleaning up
                staging.commit()
        except OSError as exc:
            raise write_failure(exc, target) from None
    parted = tuple(part.path for part in parts)
    return BuildResult(target, timeline, size, time.perf_counter() - started, parted)


def _render(path: Path, planned: Plan, fmt: str, pool: Pool, progress: Progress | None) -> None:
    routine, timeline = planned.routine, planned.timeline
    long_enough = timeline.length >= PARALLEL_SECONDS * timeline.sample_rate
    parts = segments.split(timeline, frame_samples(timeline.sample_rate)) if fmt == "mp3" and long_enough else []
    if pool.parallel and len(parts) > 1:
        with open(path, "w+b") as handle:
            report = (lambda samples: progress("audio", samples, timeline.length)) if progress else None
            if report:  # the first part takes a while: show the phase from its start
                report(0)
            bed = _bed(planned)
            encode_parts(pool, handle, timeline, planned.bank, bed, parts, routine.output.bitrate, report)
        return
    encoder.encode(path, _mix(planned, progress), timeline.sample_rate, fmt, routine.output.bitrate, wav_info(routine))


def _mix(planned: Plan, progress: Progress | None):
    """The whole session's samples in order, background and all, counted into ``progress``."""
    chunks = mixer.stream(planned.timeline, planned.bank, _bed(planned))
    return _counting(chunks, planned.timeline.length, progress) if progress else chunks


def _bed(planned: Plan) -> Bed | None:
    routine = planned.routine
    if routine.background is None:
        return None
    return Bed(routine.background, planned.timeline, routine.output.loudness, planned.bank.store)


def _codec(routine: Routine) -> Codec | None:
    """What the output encoder does to audio, for the voice measurement (``None`` when lossless)."""
    if routine.output.format == "wav":
        return None
    return partial(round_trip, sample_rate=routine.output.sample_rate, bitrate=routine.output.bitrate)


def _counting(chunks, total: int, progress: Progress):
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress("audio", done, total)
        yield chunk
