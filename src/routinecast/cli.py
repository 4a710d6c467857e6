"""The ``routinecast`` command: parse arguments, call the library, report.

Exit codes: 0 ok, 2 bad input (one line per problem on stderr), 1 internal failure,
130 interrupted, 143 terminated. The pipeline is imported by the commands that
use it, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from dataclasses import asdict

from .arguments import parser
from .errors import RoutinecastError, RoutineError


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    top = parser()
    args = top.parse_args(argv)
    log = logging.getLogger("routinecast")
    if not any(isinstance(h, _Warnings) for h in log.handlers):
        log.addHandler(_Warnings())
        log.propagate = False
    if not getattr(args, "run", None):
        top.print_help()
        return 2
    previous = _on_terminate(_terminated)
    try:
        return COMMANDS[args.run](args)
    except RoutinecastError as exc:
        return _report(exc)
    except BrokenPipeError:  # the reader went away (`routinecast plan x.yaml | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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


def _settings(args: argparse.Namespace):
    from .build import Settings

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
        timeout=getattr(args, "timeout", Settings.timeout),
        parameters=tuple(args.parameters),
    )


def _new(args: argparse.Namespace) -> int:
    from .starter import new_routine

    for path in new_routine(args.target, args.source):
        print(path)
    print(f"next: routinecast build {args.target}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from .starter import shipped

    for routine in shipped():
        print(f"{routine.name}: {routine.title}\n  {routine.description}")
        if routine.chapters:
            print(f"  chapters: {'; '.join(routine.chapters)}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .starter import schema_path

    sys.stdout.write(schema_path().read_text(encoding="utf-8"))
    return 0


def _build(args: argparse.Namespace) -> int:
    from .batch import build_batch, write_playlist
    from .build import build
    from .progress import Bar, wanted

    if len(args.routines) > 1 and (args.output or args.timeline or args.transcript):
        raise RoutineError("-o, --timeline and --transcript take one routine at a time")
    if args.playlist and args.playlist.suffix.lower() not in (".m3u", ".m3u8"):
        raise RoutineError(f"{args.playlist}: a playlist must end in .m3u or .m3u8")
    summary = _built_json if args.json else _built_line
    if len(args.routines) == 1:
        routine = args.routines[0]
        bar = Bar(routine.name) if wanted(args.quiet) else None
        try:
            result = build(
                routine,
                args.output,
                timeline_path=args.timeline,
                transcript_path=args.transcript,
                settings=_settings(args),
                progress=bar,
            )
        finally:
            if bar:
                bar.close()
        summary(result)
        outcomes = [result]
    else:
        outcomes = []
        for _, outcome in build_batch(args.routines, _settings(args), args.jobs):
            if isinstance(outcome, RoutinecastError):
                _report(outcome)
            else:
                summary(outcome)
            outcomes.append(outcome)
    built = [o for o in outcomes if not isinstance(o, RoutinecastError)]
    if args.playlist and built:
        write_playlist(args.playlist, built)
    return max((o.exit_code for o in outcomes if isinstance(o, RoutinecastError)), default=0)


def _built_line(result) -> None:
    from .units import format_ms

    duration = result.timeline.ms(result.timeline.length)
    print(
        f"{result.output}  {format_ms(duration)}  {result.size / 1e6:.1f} MB  (built in {result.seconds:.1f}s)",
        flush=True,
    )


def _built_json(result) -> None:
    """One JSON object per line: ``{"output", "duration_ms", "bytes", "seconds"}``."""
    duration = result.timeline.ms(result.timeline.length)
    facts = {"output": str(result.output), "duration_ms": duration, "bytes": result.size, "seconds": result.seconds}
    print(json.dumps(facts), flush=True)


def _check(args: argparse.Namespace) -> int:
    from .build import check
    from .units import format_ms

    code, results = 0, []
    for path in args.routines:
        try:
            timeline = check(path, _settings(args), fast=args.fast)
        except RoutinecastError as exc:
            code = max(code, exc.exit_code if args.json else _report(exc))
            problems = getattr(exc, "problems", [str(exc)])
            results.append({"routine": str(path), "ok": False, "problems": [_problem(p) for p in problems]})
        else:
            length = timeline.ms(timeline.length) if timeline else None
            results.append({"routine": str(path), "ok": True, "duration_ms": length, "timed": not args.fast})
            if not args.json:
                print(f"{path}: ok ({format_ms(length)})" if timeline else f"{path}: ok (timing not checked: --fast)")
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
    return code


def _problem(problem) -> dict:
    return (
        asdict(problem) if hasattr(problem, "line") else {"file": None, "line": None, "col": None, "message": problem}
    )


def _plan(args: argparse.Namespace) -> int:
    from .build import plan
    from .units import format_clock, format_ms

    timeline = plan(args.routine, _settings(args)).timeline
    if args.json:
        sys.stdout.write(timeline.to_json())
        return 0
    chapters = {c.start: c.label for c in timeline.chapters}
    for event in timeline.events:
        if event.start in chapters:
            print(f"\n== {chapters.pop(event.start)} ==")
        what = event.text if event.kind == "speech" else format_ms(timeline.ms(event.length))
        print(f"{format_clock(timeline.ms(event.start))}  {event.kind:<7}  {what}")
    print(f"\ntotal {format_ms(timeline.ms(timeline.length))}")
    return 0


def _voices(args: argparse.Namespace) -> int:
    from .speech.engines import all_voices

    voices = all_voices(args.engine, args.lang or "")
    if args.json:
        print(json.dumps([{"engine": name, **asdict(voice)} for name, voice in voices], indent=1, ensure_ascii=False))
        return 0
    about = None
    for name, voice in voices:
        if (name, voice.source, voice.license) != about:  # said once for the voices it applies to
            about = name, voice.source, voice.license
            print(f"# {name}: {voice.source}; {voice.license}")
        print(f"{name:<8} {voice.id:<24} {','.join(voice.languages):<16} {voice.name}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from .cache import ClipStore, default_cache_dir

    store = ClipStore(args.cache_dir or default_cache_dir())
    if args.action == "clear":
        print(f"removed {store.clear()} clips from {store.root}")
    else:
        count, size = store.info()
        print(f"{store.root}: {count} clips, {size / 1e6:.1f} MB")
    return 0


COMMANDS = {
    "new": _new,
    "list": _list,
    "build": _build,
    "check": _check,
    "plan": _plan,
    "voices": _voices,
    "schema": _schema,
    "cache": _cache,
}
"""Each command's function, by the name ``arguments.parser`` gives it."""


class _Warnings(logging.Handler):
    """The library's warnings (a damaged cache entry made again, say) as one stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"routinecast: warning: {record.getMessage()}", file=sys.stderr)  # the stderr of the moment
