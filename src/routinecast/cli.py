"""The ``routinecast`` command: parse arguments, call the library, report.

Exit codes: 0 ok, 2 bad input (one line per problem on stderr), 1 internal failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from .batch import build_batch, write_playlist
from .build import BuildResult, Settings, build, check, plan
from .cache import ClipStore, default_cache_dir
from .errors import RoutinecastError, RoutineError
from .speech.engine import DEFAULT_TIMEOUT_S
from .speech.engines import all_voices, registered
from .units import format_clock, format_ms
from .version import __version__


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    log = logging.getLogger("routinecast")
    if not any(isinstance(h, _Warnings) for h in log.handlers):
        log.addHandler(_Warnings())
        log.propagate = False
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    previous = _on_terminate(_terminated)
    try:
        return args.run(args)
    except RoutinecastError as exc:
        return _report(exc)
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        print(f"routinecast: {stopped}; nothing was written", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    except Exception as exc:  # a bug: say so in one line; ROUTINECAST_DEBUG=1 shows the traceback
        if os.environ.get("ROUTINECAST_DEBUG"):
            raise
        print(
            f"routinecast: internal error: {type(exc).__name__}: {exc} (set ROUTINECAST_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
    finally:
        _on_terminate(previous)


def _report(exc: RoutinecastError) -> int:
    """Print ``exc`` on stderr, one line per problem (internal failures prefixed); returns its exit code."""
    for line in exc.lines():
        print(f"routinecast: {line}" if exc.exit_code == 1 else line, file=sys.stderr)
    return exc.exit_code


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs (helpers, temporary files)."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _on_terminate(handler):
    """Install ``handler`` for SIGTERM (only the main thread may); returns the one it replaces."""
    if threading.current_thread() is not threading.main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGTERM, handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routinecast", description="Turn guided-routine scripts into narrated audio, offline."
    )
    parser.add_argument("--version", action="version", version=f"routinecast {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND")

    p = commands.add_parser(
        "build",
        help="build routines into audio files",
        description="Build routines into audio files (default: output/NAME.mp3).",
    )
    p.add_argument("routines", nargs="+", type=Path, metavar="ROUTINE.yaml")
    p.add_argument("-o", "--output", type=Path, help="audio file to write (.mp3 or .wav); one routine only")
    p.add_argument("--timeline", type=Path, metavar="FILE.json", help="also write the timeline as JSON")
    p.add_argument("--transcript", type=Path, metavar="FILE.vtt|.srt", help="also write captions of what is said")
    p.add_argument("--format", choices=("mp3", "wav"), help="output format (default: from the extension, else mp3)")
    _engine_options(p)
    p.add_argument("--sample-rate", type=int, help="output sample rate in Hz (default 44100)")
    p.add_argument("--bitrate", type=int, help="MP3 bitrate in kbit/s (default 64)")
    p.add_argument("--loudness", type=float, metavar="LUFS", help="programme loudness target (default -16)")
    p.add_argument("--no-background", action="store_true", help="leave out the routine's background bed")
    p.add_argument("--playlist", type=Path, metavar="FILE.m3u", help="also write an M3U playlist of what was built")
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds one line may take to synthesize (default {DEFAULT_TIMEOUT_S:g})",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=_build)

    p = commands.add_parser(
        "check",
        help="validate routines without building",
        description="Validate routines; exit 0 if all are valid, 2 if not.",
    )
    p.add_argument("routines", nargs="+", type=Path, metavar="ROUTINE.yaml")
    _engine_options(p)
    p.set_defaults(run=_check)

    p = commands.add_parser(
        "plan",
        help="print a routine's timing without writing audio",
        description="Print the session as a table of timed events, using the real engine's speech durations.",
    )
    p.add_argument("routine", type=Path, metavar="ROUTINE.yaml")
    _engine_options(p)
    p.add_argument("--sample-rate", type=int, help="sample rate to plan for (default 44100)")
    p.set_defaults(run=_plan)

    p = commands.add_parser(
        "voices", help="list the engine's voices", description="List the voices the speech engine offers."
    )
    p.add_argument("--lang", help="only voices for this language code prefix, e.g. en")
    p.add_argument("--engine", choices=list(registered()), help="only this engine's voices (default: every engine)")
    p.set_defaults(run=_voices)

    p = commands.add_parser(
        "cache", help="show or clear the speech cache", description="Show or clear the speech cache."
    )
    p.add_argument("action", choices=("info", "clear"))
    p.add_argument("--cache-dir", type=Path, help="cache folder (default: $ROUTINECAST_CACHE or the user cache)")
    p.set_defaults(run=_cache)
    return parser


def _engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=list(registered()),
        help="speech engine for routines that name none (default: piper if installed, else pyttsx3)",
    )
    p.add_argument("--no-cache", action="store_true", help="synthesize everything afresh")
    p.add_argument("--cache-dir", type=Path, help="speech cache folder")
    p.add_argument(
        "-j", "--jobs", type=_count, help="worker processes for synthesis and encoding (default: one per core)"
    )


def _count(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return int(text)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        engine=args.engine,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        jobs=args.jobs,
        sample_rate=getattr(args, "sample_rate", None),
        bitrate=getattr(args, "bitrate", None),
        format=getattr(args, "format", None),
        loudness=getattr(args, "loudness", None),
        background=not getattr(args, "no_background", False),
        timeout=getattr(args, "timeout", DEFAULT_TIMEOUT_S),
    )


def _build(args: argparse.Namespace) -> int:
    if len(args.routines) > 1 and (args.output or args.timeline or args.transcript):
        raise_usage("-o, --timeline and --transcript take one routine at a time")
    if args.playlist and args.playlist.suffix.lower() not in (".m3u", ".m3u8"):
        raise_usage(f"{args.playlist}: a playlist must end in .m3u or .m3u8")
    if len(args.routines) == 1:
        show = not args.quiet and sys.stdout.isatty()
        routine = args.routines[0]
        result = build(
            routine,
            args.output,
            timeline_path=args.timeline,
            transcript_path=args.transcript,
            settings=_settings(args),
            progress=_Bar(routine.name) if show else None,
        )
        if show:
            print("\r\033[K", end="", file=sys.stderr)
        _summary(result)
        outcomes = [result]
    else:
        outcomes = []
        for _, outcome in build_batch(args.routines, _settings(args), args.jobs):
            if isinstance(outcome, RoutinecastError):
                _report(outcome)
            else:
                _summary(outcome)
            outcomes.append(outcome)
    built = [o for o in outcomes if not isinstance(o, RoutinecastError)]
    if args.playlist and built:
        write_playlist(args.playlist, built)
    return max((o.exit_code for o in outcomes if isinstance(o, RoutinecastError)), default=0)


def _summary(result: BuildResult) -> None:
    duration = result.timeline.ms(result.timeline.length)
    print(
        f"{result.output}  {format_ms(duration)}  {result.size / 1e6:.1f} MB  (built in {result.seconds:.1f}s)",
        flush=True,
    )


def _check(args: argparse.Namespace) -> int:
    code = 0
    for path in args.routines:
        try:
            timeline = check(path, _settings(args))
        except RoutinecastError as exc:
            code = max(code, _report(exc))
        else:
            print(f"{path}: ok ({format_ms(timeline.ms(timeline.length))})")
    return code


def _plan(args: argparse.Namespace) -> int:
    planned = plan(args.routine, _settings(args))
    timeline = planned.timeline
    chapters = {c.start: c.label for c in timeline.chapters}
    for event in timeline.events:
        if event.start in chapters:
            print(f"\n== {chapters.pop(event.start)} ==")
        what = event.text if event.kind == "speech" else format_ms(timeline.ms(event.length))
        print(f"{format_clock(timeline.ms(event.start))}  {event.kind:<7}  {what}")
    print(f"\ntotal {format_ms(timeline.ms(timeline.length))}")
    return 0


def _voices(args: argparse.Namespace) -> int:
    about = None
    for name, voice in all_voices(args.engine, args.lang or ""):
        if (name, voice.source, voice.license) != about:  # said once for the voices it applies to
            about = name, voice.source, voice.license
            print(f"# {name}: {voice.source}; {voice.license}")
        print(f"{name:<8} {voice.id:<24} {','.join(voice.languages):<16} {voice.name}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    store = ClipStore(args.cache_dir or default_cache_dir())
    if args.action == "clear":
        print(f"removed {store.clear()} clips from {store.root}")
    else:
        count, size = store.info()
        print(f"{store.root}: {count} clips, {size / 1e6:.1f} MB")
    return 0


def raise_usage(message: str) -> None:
    """Stop with a usage error (exit 2)."""
    raise RoutineError(message)


class _Bar:
    """A one-line progress display on stderr."""

    def __init__(self, name: str):
        self.name = name
        self.shown: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        if self.shown == (stage, filled):
            return
        self.shown = (stage, filled)
        print(
            f"\r{self.name}: {stage:<6} [{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d}%",
            end="",
            file=sys.stderr,
            flush=True,
        )


class _Warnings(logging.Handler):
    """The library's warnings (a damaged cache entry made again, say) as one stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"routinecast: warning: {record.getMessage()}", file=sys.stderr)  # the stderr of the moment
