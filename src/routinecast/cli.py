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
import sys

from .arguments import parser, settings
from .errors import RoutinecastError, RoutineError
from .signals import Terminated, on_terminate, raise_terminated


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    top = parser()
    if "_ARGCOMPLETE" in os.environ:  # a shell asking for completions (see `routinecast completion`)
        import argcomplete

        argcomplete.autocomplete(top)
    args = top.parse_args(argv)
    log = logging.getLogger("routinecast")
    if not any(isinstance(h, _Warnings) for h in log.handlers):
        log.addHandler(_Warnings())
        log.propagate = False
    if not getattr(args, "run", None):
        top.print_help()
        return 2
    previous = on_terminate(raise_terminated)
    try:
        code = COMMANDS[args.run](args)
        sys.stdout.flush()  # here, not at exit, so that a reader gone away is caught below
        return code
    except RoutinecastError as exc:
        return _report(exc)
    except BrokenPipeError:  # the reader went away (`routinecast plan x.yaml | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, Terminated) else "interrupted"
        # Watching, the builds before this one are written and stay.
        print(f"routinecast: {stopped}{'' if args.run == 'watch' else '; nothing was written'}", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except Exception as exc:  # a bug: say so in one line; ROUTINECAST_DEBUG=1 shows the traceback
        if os.environ.get("ROUTINECAST_DEBUG"):
            raise
        print(
            f"routinecast: internal error: {type(exc).__name__}: {exc} (set ROUTINECAST_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
    finally:
        on_terminate(previous)


def _report(exc: RoutinecastError) -> int:
    """Print ``exc`` on stderr, one line per problem (internal failures prefixed); returns its exit code."""
    from .reports import error_lines

    for line in error_lines(exc):
        print(line, file=sys.stderr)
    return exc.exit_code


def _new(args: argparse.Namespace) -> int:
    from .starter import new_routine

    for path in new_routine(args.target, args.source):
        print(path)
    print(f"next: routinecast build {args.target}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from .reports import shipped_lines
    from .starter import shipped

    for routine in shipped(args.timed, settings(args)):
        print("\n".join(shipped_lines(routine)))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .starter import schema_path

    sys.stdout.write(schema_path().read_text(encoding="utf-8"))
    return 0


def _completion(args: argparse.Namespace) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["routinecast"], shell=args.shell))
    return 0


def _build(args: argparse.Namespace) -> int:
    from .batch import build_batch, check_playlist, write_playlist
    from .cluster import scheduler_address

    remote = scheduler_address(args.scheduler) is not None
    if (len(args.routines) > 1 or remote) and (args.output or args.timeline or args.transcript):
        raise RoutineError("-o, --timeline and --transcript take one routine at a time, built here")
    check_playlist(args.playlist)
    if len(args.routines) == 1 and not remote:
        outcomes = [_build_one(args, args.routines[0])]
    else:
        from .progress import Batch, wanted

        batch = Batch(len(args.routines)) if wanted(args.quiet) else None
        outcomes = []
        try:
            for path, outcome in build_batch(args.routines, settings(args), args.jobs, args.split, args.scheduler):
                _tell(args, path, outcome, batch)
                if batch:
                    batch.done(path.name)
                outcomes.append(outcome)
        finally:
            if batch:
                batch.close()
    built = [o for o in outcomes if not isinstance(o, RoutinecastError)]
    if args.playlist and built:
        write_playlist(args.playlist, built)
    return max((o.exit_code for o in outcomes if isinstance(o, RoutinecastError)), default=0)


def _build_one(args: argparse.Namespace, path):
    """Build one routine with a progress bar (when stderr is a terminal); returns the result, or the error
    (already reported)."""
    from .build import build
    from .progress import Bar, wanted

    bar = Bar(path.name) if wanted(args.quiet) else None
    try:
        outcome = build(
            path,
            args.output,
            timeline_path=args.timeline,
            transcript_path=args.transcript,
            settings=settings(args),
            progress=bar,
            split=args.split,
        )
    except RoutinecastError as exc:
        outcome = exc
    finally:
        if bar:
            bar.close()
    _tell(args, path, outcome)
    return outcome


def _tell(args: argparse.Namespace, path, outcome, batch=None) -> None:
    """Report a build: a summary line on stdout (or a JSON line), or the error's lines on stderr."""
    from .reports import build_lines

    lines, on_stderr = build_lines(path, outcome, getattr(args, "json", False))
    out = sys.stderr if on_stderr else sys.stdout
    for line in lines:
        if batch:
            batch.write(line, out)
        else:
            print(line, file=out, flush=True)


def _watch(args: argparse.Namespace) -> int:
    from .watch import watch_routine

    cache_dir = settings(args).cache_dir

    def rebuild():
        outcome = _build_one(args, args.routine)
        if isinstance(outcome, RoutinecastError):
            return [cache_dir] if cache_dir else []
        side = [p for p in (args.timeline, args.transcript, cache_dir) if p]
        return [outcome.output, *outcome.parts, *side]

    print(f"routinecast: watching {args.routine.parent}/; Ctrl-C to stop", file=sys.stderr, flush=True)
    watch_routine(args.routine, rebuild)  # until Ctrl-C
    return 0


def _check(args: argparse.Namespace) -> int:
    from . import reports
    from .build import check

    code, results = 0, []
    for path in args.routines:
        try:
            timeline = check(path, settings(args), fast=args.fast)
        except RoutinecastError as exc:
            code = max(code, exc.exit_code if args.json else _report(exc))
            results.append(reports.failed(path, exc))
        else:
            results.append(reports.checked(path, timeline))
            if not args.json:
                print(reports.check_line(path, timeline))
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
    return code


def _plan(args: argparse.Namespace) -> int:
    from .build import plan
    from .reports import plan_lines
    from .script import record
    from .write.picture import check_picture_path, write_picture

    if args.svg:
        check_picture_path(args.svg)
    timeline = plan(args.routine, settings(args)).timeline
    if args.svg:
        write_picture(args.svg, timeline)
    sys.stdout.write(record.dump(timeline) if args.json else "".join(f"{line}\n" for line in plan_lines(timeline)))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .publishing import publish

    site = publish(
        args.folder,
        args.routines,
        base=args.base_url,
        title=args.title,
        description=args.description,
        author=args.author,
        language=args.language,
        settings=settings(args),
        built=lambda path: print(f"built {path}", flush=True),
    )
    print(f"published {len(site.sessions)} sessions: {site.index}" + (f" and {site.feed}" if site.feed else ""))
    return 0


def _voices(args: argparse.Namespace) -> int:
    from .reports import voice, voice_lines
    from .speech.engines import all_voices
    from .write.samples import write_samples

    voices = all_voices(args.engine, args.lang or "")
    samples = write_samples(args.sample, voices, args.output) if args.sample is not None else [None] * len(voices)
    if args.json:
        listed = [voice(name, info, sample) for (name, info), sample in zip(voices, samples)]
        print(json.dumps(listed, indent=1, ensure_ascii=False))
    else:
        print("\n".join(voice_lines(voices, samples)))
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
    "publish": _publish,
    "voices": _voices,
    "schema": _schema,
    "cache": _cache,
    "watch": _watch,
    "completion": _completion,
}
"""Each command's function, by the name ``arguments.parser`` gives it."""


class _Warnings(logging.Handler):
    """The library's warnings (a damaged cache entry made again, say) as one stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"routinecast: warning: {record.getMessage()}", file=sys.stderr)  # the stderr of the moment
