"""The command line's arguments: every command, its options and its examples.

Nothing heavy is imported here, so ``routinecast --help`` answers at once; the
commands themselves (``cli.py``) import the pipeline when they run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import DEFAULT_TIMEOUT_S
from .version import __version__

ENGINES = "pyttsx3 (espeak-ng), piper (with its extra) or fake (a tone, for tests)"

_EXAMPLES = {
    "new": """
examples:
  routinecast new my-routine.yaml                       a commented routine that builds as it is
  routinecast new neck.yaml --from psoas-stretch        start from a shipped routine
""",
    "list": """
examples:
  routinecast list                                      the shipped routines
  routinecast list --timed                              with their real lengths (speaks them once)
  routinecast new mine.yaml --from constructive-rest   copy one to change it
""",
    "build": """
examples:
  routinecast build scripts/constructive-rest.yaml      -> output/constructive-rest.mp3
  routinecast build my.yaml -o out/my.mp3 --transcript out/my.vtt --timeline out/my.json
  routinecast build my.yaml --set hold=45s --set rounds=2
  routinecast build scripts/*.yaml --playlist output/all.m3u
  routinecast build my.yaml --split sections             -> output/my/01-NAME.mp3 ... and a playlist
  routinecast build my.yaml --json | jq .duration_ms
""",
    "watch": """
examples:
  routinecast watch my.yaml                             rebuild output/my.mp3 on every save; Ctrl-C stops
  routinecast watch my.yaml -o out/my.mp3 --engine pyttsx3
""",
    "check": """
examples:
  routinecast check my.yaml                             everything but the audio, timing included
  routinecast check --fast scripts/*.yaml               the files only, without speaking
  routinecast check --json my.yaml
  routinecast check my.yaml --set hold=45s
""",
    "publish": """
examples:
  routinecast publish output/ scripts/*.yaml            build the routines into output/, then the site
  routinecast publish output/ --base-url https://example.org/sessions/   the site and its podcast feed
""",
    "plan": """
examples:
  routinecast plan my.yaml                              the timed table of the session
  routinecast plan my.yaml --json | jq .duration_ms
  routinecast plan my.yaml --svg my.svg                 a picture of the session: chapters, speech, holds
""",
    "voices": """
examples:
  routinecast voices --lang en
  routinecast voices --engine piper --json
  routinecast voices --lang en --sample "Breathe in slowly." -o samples/
""",
    "schema": """
examples:
  routinecast schema > routine.schema.json
""",
    "cache": """
examples:
  routinecast cache info
  routinecast cache clear
""",
    "completion": """
examples:
  routinecast completion bash > ~/.local/share/bash-completion/completions/routinecast
  routinecast completion zsh > "${fpath[1]}/_routinecast"
  routinecast completion fish > ~/.config/fish/completions/routinecast.fish
""",
}
SHELLS = ("bash", "zsh", "fish")
"""The shells ``completion`` writes a script for."""


def parser() -> argparse.ArgumentParser:
    """The ``routinecast`` argument parser; each command's ``run`` default names its function in ``cli``."""
    top = argparse.ArgumentParser(
        prog="routinecast", description="Turn guided-routine scripts into narrated audio, offline."
    )
    top.add_argument("--version", action="version", version=f"routinecast {__version__}")
    commands = top.add_subparsers(metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        p = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=_EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(run=name)
        return p

    p = command("new", "write a new routine to start from", "Write a commented routine that builds as it is.")
    p.add_argument("target", type=Path, metavar="NAME.yaml")
    p.add_argument("--from", dest="source", metavar="SHIPPED", help="start from a shipped routine (see 'list')")

    p = command("list", "list the shipped routines", "List the routines that ship with routinecast.")
    p.add_argument("--timed", action="store_true", help="give each one's real length (speaks it, once)")
    _engine_options(p, parameters=False)

    p = command(
        "build", "build routines into audio files", "Build routines into audio files (default: output/NAME.mp3)."
    )
    p.add_argument("routines", nargs="+", type=Path, metavar="ROUTINE.yaml")
    _build_options(p, "; one routine only")
    p.add_argument("--playlist", type=Path, metavar="FILE.m3u", help="also write an M3U playlist of what was built")
    p.add_argument("--json", action="store_true", help="print what was built as JSON lines instead of a summary")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build on this Dask cluster, e.g. tcp://host:8786 (default $ROUTINECAST_SCHEDULER; else here)",
    )

    p = command(
        "watch",
        "rebuild a routine on every save",
        "Build a routine, then build it again each time a file in its folder is saved; errors are shown and "
        "watching goes on. Ctrl-C stops.",
    )
    p.add_argument("routine", type=Path, metavar="ROUTINE.yaml")
    _build_options(p, "")

    p = command("check", "validate routines without building", "Validate routines; exit 0 if all are valid, 2 if not.")
    p.add_argument("routines", nargs="+", type=Path, metavar="ROUTINE.yaml")
    p.add_argument("--fast", action="store_true", help="skip speaking the lines, so cues that clash are not found")
    p.add_argument("--json", action="store_true", help="print the results as a JSON list")
    _engine_options(p)

    p = command(
        "plan",
        "print a routine's timing without writing audio",
        "Print the session as a table of timed events, using the real engine's speech durations.",
    )
    p.add_argument("routine", type=Path, metavar="ROUTINE.yaml")
    _engine_options(p)
    p.add_argument("--sample-rate", type=int, help="sample rate to plan for (default 44100)")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON (the --timeline file of build)")
    p.add_argument("--svg", type=Path, metavar="FILE.svg", help="also write a picture of the timeline (SVG)")

    p = command("voices", "list the engines' voices", "List the voices the speech engines offer.")
    p.add_argument("--lang", help="only voices for this language code prefix, e.g. en")
    p.add_argument("--engine", metavar="NAME", help=f"only this engine's voices: {ENGINES} (default: every engine)")
    p.add_argument("--json", action="store_true", help="print the voices as a JSON list")
    p.add_argument("--sample", metavar="TEXT", help="write TEXT spoken in each voice listed as an MP3, to hear them")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("voice-samples"), help="folder for --sample (default voice-samples)"
    )

    p = command(
        "publish",
        "write a listening site and podcast feed for built sessions",
        "Write a static site into FOLDER for the sessions built there (each NAME.mp3 with its timeline "
        "NAME.json): an index, a page per session with its player, chapters, transcript and timeline picture, "
        "and with --base-url a podcast feed (feed.xml). Routines named are built into FOLDER first.",
    )
    p.add_argument("folder", type=Path, metavar="FOLDER")
    p.add_argument("routines", nargs="*", type=Path, metavar="ROUTINE.yaml", help="routines to build into FOLDER first")
    p.add_argument("--base-url", metavar="URL", help="the site's web address, for the feed (without it, no feed)")
    p.add_argument("--title", help="the site's and feed's title (default: the sessions' album)")
    p.add_argument("--description", help="what the site and feed are about")
    p.add_argument("--author", help="who makes them (default: the sessions' artist)")
    p.add_argument("--language", default="en", help="language code of the sessions (default en)")
    _engine_options(p)

    command("schema", "print the JSON Schema of the routine format", "Print the routine format's JSON Schema.")

    p = command("cache", "show or clear the speech cache", "Show or clear the speech cache.")
    p.add_argument("action", choices=("info", "clear"))
    p.add_argument("--cache-dir", type=Path, help="cache folder (default: $ROUTINECAST_CACHE or the user cache)")

    p = command(
        "completion",
        "print a shell completion script",
        "Print the script that completes routinecast's commands and options in a shell; see the examples for "
        "where to put it.",
    )
    p.add_argument("shell", choices=SHELLS)
    return top


def _build_options(p: argparse.ArgumentParser, one: str) -> None:
    """The options of ``build`` and ``watch``; ``one`` says when -o and its like take one routine only."""
    p.add_argument("-o", "--output", type=Path, help=f"audio file to write (.mp3 or .wav){one}")
    p.add_argument("--timeline", type=Path, metavar="FILE.json", help=f"also write the timeline as JSON{one}")
    p.add_argument("--transcript", type=Path, metavar="FILE.vtt|.srt", help=f"also write captions of what is said{one}")
    p.add_argument("--format", choices=("mp3", "wav"), help="output format (default: from the extension, else mp3)")
    p.add_argument(
        "--split",
        choices=("sections",),
        help="one file per section, and a playlist of them, in the folder -o names (default output/NAME/)",
    )
    _engine_options(p)
    p.add_argument("--sample-rate", type=int, help="output sample rate in Hz (default 44100)")
    p.add_argument("--bitrate", type=int, help="MP3 bitrate in kbit/s (default 64)")
    p.add_argument("--loudness", type=float, metavar="LUFS", help="programme loudness target (default -16)")
    p.add_argument("--no-background", action="store_true", help="leave out the routine's background bed")
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds one line may take to synthesize (default {DEFAULT_TIMEOUT_S:g})",
    )
    p.add_argument(
        "-q", "--quiet", action="store_true", help="no progress display (there is none unless stderr is a terminal)"
    )


def _engine_options(p: argparse.ArgumentParser, parameters: bool = True) -> None:
    p.add_argument(
        "--engine",
        metavar="NAME",
        help=f"speech engine for routines that name none: {ENGINES} (default: piper if installed, else pyttsx3)",
    )
    p.add_argument("--no-cache", action="store_true", help="synthesize everything afresh")
    p.add_argument("--cache-dir", type=Path, help="speech cache folder")
    p.add_argument(
        "-j", "--jobs", type=_count, help="worker processes for synthesis and encoding (default: one per core)"
    )
    if not parameters:
        return
    p.add_argument(
        "--set",
        dest="parameters",
        action="append",
        type=_assignment,
        default=[],
        metavar="NAME=VALUE",
        help="give a routine parameter a value, e.g. --set hold=45s (repeatable)",
    )


def _count(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return int(text)


def _assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUE``, for ``--set``."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"must be NAME=VALUE, such as hold=45s, not '{text}'")
    return name.strip(), value


def settings(args: argparse.Namespace):
    """The :class:`~.settings.Settings` the parsed ``args`` ask for (any command's)."""
    from .settings import Settings  # not at the top: --help stays light

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
        parameters=tuple(getattr(args, "parameters", ())),
    )
