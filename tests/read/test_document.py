"""Hostile input: every bad file ends in located problems, exit 2 and nothing else, quickly.

Each case is a file no routine would be, built to make reading slow, huge or
crash: alias bombs, deep nesting, faults deep in the YAML parser, oversized
files and values, numbers and durations at the edges.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from routinecast.cli import main
from routinecast.read.document import MAX_FILE_BYTES, MAX_TEXT
from routinecast.read.loader import MAX_DEPTH, MAX_NODES

STEPS = "steps:\n  - say: Hi.\n"


def laughs(levels: int, width: int = 9) -> str:
    """The "billion laughs": each level a list of ``width`` aliases to the level before."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "title: T\n" + "\n".join(lines) + "\n" + STEPS


def nested_repeats(depth: int) -> str:
    lines = [f"{'    ' * i}  - repeat: 2\n{'    ' * i}    steps:\n" for i in range(depth)]
    return "title: T\nsteps:\n" + "".join(lines) + "    " * depth + "  - say: Hi.\n"


ALIASES = f"aliases expand the routine to over {MAX_NODES} values; write the values out or use fewer aliases"
DEEP = f"lists and mappings nested over {MAX_DEPTH} deep; flatten them"
PLAIN = "is not allowed; a routine is plain YAML data"
DURATION = "must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h"

# name: (file content as text or bytes, expected stderr lines with {f} for the file name)
HOSTILE = {
    # 1. aliases
    "billion laughs": (laughs(9), [f"{{f}}:6:10: {ALIASES}"]),
    "wide alias": (
        "title: T\nx: &x [" + ", ".join(["a"] * 100) + "]\ny: [" + ", ".join(["*x"] * 200) + "]\n" + STEPS,
        [f"{{f}}:3:393: {ALIASES}"],
    ),
    "alias bomb of steps": (
        "title: T\nx: &x [{say: a}, {say: b}]\ns: &s ["
        + ", ".join(["*x"] * 60)
        + "]\nsteps: ["
        + ", ".join(["*s"] * 60)
        + "]\n",
        [f"{{f}}:4:97: {ALIASES}"],
    ),
    "recursive alias in a list": (
        "title: T\na: &a [*a]\n" + STEPS,
        ["{f}:2:8: recursive alias '*a' (its value would contain itself); write the values out"],
    ),
    "recursive alias in a mapping": (
        "title: T\na: &a {b: [1, *a]}\n" + STEPS,
        ["{f}:2:15: recursive alias '*a' (its value would contain itself); write the values out"],
    ),
    "recursive repeat": (
        "title: T\nsteps: &s\n  - repeat: 2\n    steps: *s\n",
        ["{f}:4:12: recursive alias '*s' (its value would contain itself); write the values out"],
    ),
    "aliased mistake reported once": (
        "title: T\nx: &x {sey: Hi.}\nsteps: [" + ", ".join(["*x"] * 500) + "]\n",
        [
            "{f}:2:1: unknown key 'x' in routine; allowed: title, description, author, voice, lexicon, "
            "output, cues, background, tags, cover, parameters, blocks, steps",
            "{f}:2:8: unknown step kind 'sey'; did you mean 'say'?",
        ],
    ),
    # 2. nesting
    "deep flow lists": ("title: T\nsteps: " + "[" * 5000 + "]" * 5000 + "\n", [f"{{f}}:2:107: {DEEP}"]),
    "deep flow mappings": ("title: T\nsteps: " + "{a: " * 5000 + "\n", [f"{{f}}:2:401: {DEEP}"]),
    "deep block lists": ("title: T\nsteps:\n" + "- " * 5000 + "x\n", [f"{{f}}:3:199: {DEEP}"]),
    "deep indentation": (
        "title: T\nsteps:\n" + "".join(" " * i + "- \n" for i in range(300)),
        [f"{{f}}:102:100: {DEEP}"],
    ),
    "nested repeats": (nested_repeats(120), [f"{{f}}:101:201: {DEEP}"]),
    # 3. faults inside the parser
    "NUL byte": (b"title: T\x00\n" + STEPS.encode(), ["{f}:1:9: character U+0000 is not allowed in YAML; remove it"]),
    "bell character": (
        b"title: T\n" + STEPS.encode() + b"\x07",
        ["{f}:4:1: character U+0007 is not allowed in YAML; remove it"],
    ),
    "python tag on a key": (
        "title: T\n!!python/name:os.system : x\n" + STEPS,
        [f"{{f}}:2:1: tag '!!python/name:os.system' {PLAIN}"],
    ),
    "binary tag on a key": ("title: T\n!!binary aGk= : x\n" + STEPS, [f"{{f}}:2:1: tag '!!binary' {PLAIN}"]),
    "timestamp tag": ("title: !!timestamp 2024-01-01\n" + STEPS, [f"{{f}}:1:8: tag '!!timestamp' {PLAIN}"]),
    "timestamp that is no date as a pause": (
        "title: T\nsteps:\n  - pause: 2024-13-45\n",
        [f"{{f}}:3:12: 'pause' {DURATION}; got 2024-13-45"],
    ),
    "timestamp as a year": (
        "title: T\ntags: {year: 2024-01-01}\n" + STEPS,
        ["{f}:2:14: 'tags.year' must be a whole number from 1000 to 9999; got 2024-01-01"],
    ),
    "escape past the last character": (
        'title: "ok \\U0011FFFF"\n' + STEPS,
        ["{f}:1:12: escape \\U0011FFFF is past the last character \\U0010FFFF; fix it"],
    ),
    "lone high surrogate": (
        'title: T\nsteps:\n  - say: "Hi \\ud800"\n',
        ["{f}:3:10: escape \\ud800 is half of a surrogate pair, not a character; write the character itself"],
    ),
    "lone low surrogate in a key": (
        'title: T\n"\\udc00": x\n' + STEPS,
        ["{f}:2:1: escape \\udc00 is half of a surrogate pair, not a character; write the character itself"],
    ),
    "NUL escape": ('title: "a\\0b"\n' + STEPS, ["{f}:1:8: escape \\x00 is a control character, not text; remove it"]),
    "bad int tag": (
        "title: T\nvoice: {rate: !!int abc}\n" + STEPS,
        ["{f}:2:15: cannot read 'abc' as a whole number; fix it or remove the tag"],
    ),
    "bad bool tag": (
        "title: !!bool maybe\n" + STEPS,
        ["{f}:1:8: cannot read 'maybe' as true or false; fix it or remove the tag"],
    ),
    "str tag on a list": ("title: !!str [a]\n" + STEPS, ["{f}:1:8: tag '!!str' does not fit here; remove it"]),
    "duplicate anchor": (
        "title: T\na: &a 1\nb: &a 2\n" + STEPS,
        ["{f}:3:4: YAML syntax error: found duplicate anchor 'a' (first at line 2)"],
    ),
    # 4. size
    "file too big": (
        "title: T\n" + STEPS + "#" * MAX_FILE_BYTES,
        [f"{{f}}:1:1: file is over {MAX_FILE_BYTES // 1000} KB, too big for a routine; split it into smaller routines"],
    ),
    "too many values": (
        "title: T\nsteps: [" + "1, " * MAX_NODES + "]\n",
        [f"{{f}}:2:{9 + 3 * (MAX_NODES - 5)}: routine has over {MAX_NODES} values; split it into smaller routines"],
    ),
    "long text": (
        "title: T\nsteps:\n  - say: " + "a" * (MAX_TEXT + 1) + "\n",
        [f"{{f}}:3:10: value is {MAX_TEXT + 1} characters long, over the limit of {MAX_TEXT}; shorten it"],
    ),
    "long quoted key": (
        "title: T\n? '" + "k" * 200_000 + "'\n: x\n" + STEPS,
        [f"{{f}}:2:3: value is 200000 characters long, over the limit of {MAX_TEXT}; shorten it"],
    ),
    "long unknown key": (
        "title: T\n? " + "k" * MAX_TEXT + "\n: x\n" + STEPS,
        [
            f"{{f}}:2:3: unknown key '{'k' * 60}...' in routine; allowed: title, description, author, voice, "
            "lexicon, output, cues, background, tags, cover, parameters, blocks, steps"
        ],
    ),
    # 5. numbers and durations at the edges
    "float overflow": (
        "title: T\nvoice: {volume: 1.0e+309}\n" + STEPS,
        ["{f}:2:17: 'voice.volume' must be a number from 0.0 to 1.0; got 1.0e+309"],
    ),
    "loudness not a number": (
        "title: T\noutput: {loudness: .nan}\n" + STEPS,
        ["{f}:2:20: 'output.loudness' must be a number; got .nan"],
    ),
    "infinite loudness": (
        "title: T\noutput: {loudness: -.inf}\n" + STEPS,
        ["{f}:2:20: 'output.loudness' must be a number; got -.inf"],
    ),
    "huge sample rate": (
        "title: T\noutput: {sample_rate: 1.0e+300}\n" + STEPS,
        ["{f}:2:23: 'output.sample_rate' must be a whole number; got 1.0e+300"],
    ),
    "huge exponent pause": (
        "title: T\nsteps:\n  - pause: 1e400000\n",
        ["{f}:3:12: 'pause' must be at most 1000h; got 1e400000"],
    ),
    "huge hours": (
        "title: T\nsteps:\n  - pause: " + "9" * 90 + "h\n",
        [f"{{f}}:3:12: 'pause' must be at most 1000h; got {'9' * 60}..."],
    ),
    "5000-digit repeat": (
        "title: T\nsteps:\n  - repeat: " + "9" * 5000 + "\n    steps: [{say: Hi.}]\n",
        ["{f}:3:13: number has over 100 digits; write a smaller number, or quote it if it is text"],
    ),
    "long number as a duration": (
        "title: T\nsteps:\n  - pause: " + "1" * 99 + "\n",
        ["{f}:3:12: 'pause' must be at most 1000h; got " + "1" * 60 + "..."],
    ),
    "double sign": (
        "title: T\nsteps:\n  - pause: +-5s\n",
        [f"{{f}}:3:12: 'pause' {DURATION}, with at most one sign; got +-5s"],
    ),
    "61 minutes after hours": (
        "title: T\nsteps:\n  - pause: 1h61m\n",
        ["{f}:3:12: 'pause' must have under 60 minutes after the hours, like 1h30m; got 1h61m"],
    ),
    "75 seconds after minutes": (
        "title: T\nsteps:\n  - hold: 1m75s\n",
        ["{f}:3:11: 'hold' must have under 60 seconds after the minutes, like 1m30s; got 1m75s"],
    ),
    "infinite breath": (
        "title: T\nsteps:\n  - breathe: {in: .inf, out: 4}\n",
        [f"{{f}}:3:19: 'breathe.in' {DURATION}; got .inf"],
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_reported_quickly(name, tmp_path, capsys):
    content, expected = HOSTILE[name]
    path = tmp_path / "routine.yaml"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    start = time.perf_counter()
    code = main(["check", "--engine", "fake", str(path)])
    seconds = time.perf_counter() - start
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [e.format(f=path) for e in expected]
    assert (code, captured.out) == (2, "")
    assert seconds < 2.0
    assert [p.name for p in tmp_path.iterdir()] == ["routine.yaml"]


@pytest.mark.parametrize(
    "value",
    ['"\\ud83d\\ude00 Hi."', "2024-13-45", "2024-01-01", "<<", "'1e400000'", '"\\U0010FFFF"'],
)
def test_edge_values_that_are_fine_as_text(value, tmp_path, capsys):
    path = tmp_path / "routine.yaml"
    path.write_text(f"title: {value}\n{STEPS}", encoding="utf-8")
    assert main(["check", "--engine", "fake", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_surrogate_pair_escapes_make_one_character(tmp_path):
    from routinecast import load_routine

    path = tmp_path / "routine.yaml"
    path.write_text('title: "\\ud83d\\ude00 Hi."\n' + STEPS, encoding="utf-8")
    assert load_routine(path).title == "\U0001f600 Hi."


def test_the_largest_allowed_routine_reads_in_time(tmp_path, capsys):
    path = tmp_path / "routine.yaml"
    steps = (MAX_NODES - 5) // 3  # the mapping, title, its key, steps and its list; 3 values a step
    path.write_text("title: T\nsteps:\n" + "  - say: Hi.\n" * steps, encoding="utf-8")
    start = time.perf_counter()
    assert main(["check", "--engine", "fake", str(path)]) == 0
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "name", ["billion laughs", "wide alias", "alias bomb of steps", "recursive alias in a list", "recursive repeat"]
)
def test_alias_bombs_stay_small(name, tmp_path, capsys):
    """Aliases are what turn a small file into a huge document; each of these stays under 50 MB."""
    path = tmp_path / "routine.yaml"
    path.write_text(HOSTILE[name][0], encoding="utf-8")
    tracemalloc.start()
    try:
        assert main(["check", "--engine", "fake", str(path)]) == 2
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000


def test_yaml_1_1_surprises_read_as_the_text_written_where_text_is_meant(tmp_path):
    """yes/no/on/off stay true/false to YAML, numbers in base 60 are text; a text field reads both as written."""
    from routinecast import load_routine

    path = tmp_path / "routine.yaml"
    path.write_text(
        "title: yes\nsteps:\n  - say: 'off'\n  - say: on\n  - say: 1:30\n  - say: 1:30:00\n"
        "  - sides: [yes, no]\n    steps: [{say: '{side}'}]\n",
        encoding="utf-8",
    )
    routine = load_routine(path)
    assert routine.title == "yes"
    assert [step.text for step in routine.steps[:4]] == ["off", "on", "1:30", "1:30:00"]
    assert routine.steps[4].sides == ("yes", "no")


def problem(tmp_path, text: str):
    """The one problem reading ``text`` as a routine gives."""
    from routinecast.errors import RoutineError
    from routinecast.read.document import read_document

    path = tmp_path / "routine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RoutineError) as caught:
        read_document(path, "r.yaml")
    [found] = caught.value.problems
    return found.line, found.col, found.message.removeprefix("YAML syntax error: ")


COLON = "found ': ' inside a text, where YAML reads it as a new key; put the whole text in quotes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # too long to quote whole as the fix
        ("title: T\nsteps:\n  - say: Note: " + "x" * 60 + "\n", (3, 14, COLON)),
        # more of a text on the next line, with ': ' in it
        (
            "title: T\nsteps:\n  - say: Lie down\n      and rest: now\n",
            (
                4,
                7,
                "'and rest' is indented more than 'say' on line 3, so YAML reads it as more of the value above; "
                "move it to column 5 like 'say', or put text that contains ': ' in quotes",
            ),
        ),
        # a comma missing inside a flow list spread over lines is not a bracket left open
        ("title: T\nsteps: [\n    {say: Hi.},\n    {say: Hi.} {pause: 2s}\n  ]\n", (4, 16, None)),
        # the text of a '>' value indented with a tab
        (
            "title: T\nsteps:\n  - say: >\n\tHi.\n",
            (4, 1, "a tab is used here to indent; YAML indents with spaces only, so replace the tab with spaces"),
        ),
        # a quoted text over two lines, closed, then more text after it on the same line
        (
            'title: T\nsteps:\n  - say: "Hi\n      there" now\n',
            (4, 14, "found more text after the closing quote; put it inside the quotes"),
        ),
    ],
)
def test_syntax_problems_start_where_the_mistake_is(tmp_path, text, expected):
    line, col, message = problem(tmp_path, text)
    assert (line, col) == expected[:2]
    if expected[2] is not None:
        assert message == expected[2]
    else:
        assert message


def test_open_blocks_skip_the_text_of_block_values():
    from routinecast.read.indentation import open_blocks

    lines = [
        "title: T",
        "description: |",
        "  Notes: read first.",
        "steps:",
        "  - hold: 30s",
        "    cues:",
        "      - at: 1s",
        "        say: Soft.",
        "  - pause: 2s",
    ]
    assert open_blocks(lines, 8) == [
        (0, ":", 3, "steps"),
        (2, "-", 4, "-"),
        (4, ":", 5, "cues"),
        (6, "-", 6, "-"),
        (8, ":", 7, "say"),
    ]
    assert open_blocks(lines, 9) == [(0, ":", 3, "steps"), (2, "-", 8, "-"), (4, ":", 8, "pause")]
