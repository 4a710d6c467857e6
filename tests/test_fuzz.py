"""Fuzzing: broken versions of the shipped routines are refused cleanly; generated routines build exactly.

Every mutation of a shipped routine (raw bytes, or its data changed and
dumped again) must make ``routinecast check`` exit 0 or 2, never 1 and never a
traceback, and on 2 print only located problems. Every generated valid routine
must build, with the fake engine, to an MP3 whose decoded length and onsets
are those of its timeline, and that timeline must be what ``plan`` gives.

``python -m pytest tests/test_fuzz.py --hypothesis-show-statistics`` shows
how many examples each test ran.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import shutil
from pathlib import Path

import pytest
import soundfile
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinecast import Settings, build, plan
from routinecast.cli import main
from tests.support.onsets import onset_errors
from tests.support.routines import SCRIPTS

FUZZ = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that mean something to YAML or to the reader, to splice into a routine.
TOKENS = [b": ", b"- ", b"{", b"}", b"[", b"]", b"&a ", b"*a", b"!!python/object:os.system ", b"\t", b"'", b'"']
TOKENS += [b"\\", b"\xff", b"\xc3", b"\x00", b"\x07", b"---\n", b"%YAML 1.1\n", b"#", b"|", b">", b"? ", b"\r"]
# Values a field might be changed to: every type, and the edges of the ranges and formats.
EDGES = [0, -1, 1, 2.5, 10**20, -(10**20), 1e308, math.inf, -math.inf, math.nan, True, False, None]
EDGES += ["", " ", "x", "1h61m", "+-5s", "0s", "30s", "1e400000", "{side}", "{round}", "{", "halfway", "say", "bell"]
EDGES += [[], {}, [1, 2], {"a": 1}, [{"say": "Hi."}], {"in": 4, "out": 6}, "-6dB", "99dB", 44000, 320]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One folder for the module: mutated routines and a speech cache shared by all examples (fake voice)."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(Path(__file__).parents[1] / "scripts" / "shared", folder / "shared")  # what routines include
    return folder


def check(folder: Path, name: str, content: bytes) -> None:
    """Run ``routinecast check`` on ``content`` and assert the outcome is an answer, not a crash."""
    path = folder / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--engine", "fake", "--cache-dir", str(folder / "cache"), str(path)])
    text = err.getvalue()
    assert code in (0, 2), f"exit {code}: {text}"
    assert "Traceback" not in text and "internal error" not in text, text
    if code == 0:
        assert text == "" and out.getvalue().startswith(f"{path}: ok")
        return
    located = re.compile(re.escape(str(path)) + r"(:\d+:\d+)?: \S.*")
    lines = text.splitlines()
    assert lines and all(located.fullmatch(line) for line in lines), text


@st.composite
def byte_mutations(draw) -> tuple[str, bytes]:
    """A shipped routine with a few bytes flipped, spliced in, lines duplicated or dropped, or cut short."""
    script = draw(st.sampled_from(SCRIPTS))
    data = bytearray(script.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "splice", "truncate", "duplicate line", "delete line"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "splice":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=6))
        elif op == "truncate":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index : index + 1] = [lines[index]] * (2 if op == "duplicate line" else 0)
            data = bytearray(b"\n".join(lines))
    return script.name, bytes(data)


def paths(node, prefix: tuple = ()) -> list[tuple]:
    """Every place in parsed YAML data, as the keys and indexes that lead to it."""
    found = [prefix]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in children:
        found += paths(value, (*prefix, key))
    return found


def at(data, path: tuple):
    for key in path:
        data = data[key]
    return data


def retyped(value, choice: int):
    """``value`` as another type: a number as text or a list, text as a list or mapping, and so on."""
    if isinstance(value, dict):
        return [list(value.values()), ", ".join(map(str, value)), None][choice]
    if isinstance(value, list):
        return [{str(i): v for i, v in enumerate(value)}, value[0] if value else "", str(value)][choice]
    if isinstance(value, (bool, int, float)) or value is None:
        return [str(value), [value], {"value": value}][choice]
    return [[value], {value: value}, len(value)][choice]


@st.composite
def data_mutations(draw) -> tuple[str, bytes]:
    """A shipped routine parsed, changed where it matters to validation, and dumped again as YAML."""
    script = draw(st.sampled_from(SCRIPTS))
    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        places = paths(data)
        path = draw(st.sampled_from(places[1:]))
        parent, key = at(data, path[:-1]), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "retype", "swap", "key to value", "duplicate"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(st.sampled_from(EDGES) | st.integers() | st.floats() | st.text(max_size=12))
        elif op == "retype":
            parent[key] = retyped(parent[key], draw(st.integers(0, 2)))
        elif op == "swap":
            other = draw(st.sampled_from(places[1:]))
            if other[: len(path)] != path and path[: len(other)] != other:  # neither holds the other
                other_parent = at(data, other[:-1])
                parent[key], other_parent[other[-1]] = other_parent[other[-1]], parent[key]
        elif op == "key to value" and isinstance(parent, dict) and isinstance(parent[key], (str, int, float)):
            parent[str(parent.pop(key))] = key
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, parent[key])
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return script.name, text.encode("utf-8")


@FUZZ
@given(byte_mutations())
def test_mutated_bytes_are_refused_cleanly(workdir, case):
    check(workdir, *case)


@FUZZ
@given(data_mutations())
def test_mutated_data_is_refused_cleanly(workdir, case):
    check(workdir, *case)


# --- valid routines, built ----------------------------------------------------------------------

TEXTS = st.sampled_from(["Hello.", "Lie down.", "Soften your jaw.", "Breathe.", "Rest here a moment."])
DURATIONS = st.sampled_from(["200ms", "500ms", "1s", "1.5s", "800ms"])


def say(texts=TEXTS):
    return texts.map(lambda text: {"say": text})


def simple_steps():
    """Steps that can stand anywhere: with the fake voice (60 ms a character) every cue fits its window."""
    hold = st.fixed_dictionaries(
        {"hold": st.sampled_from(["2s", "3s", "4s"])},
        optional={
            "say": TEXTS,
            "cues": st.sampled_from([["halfway"], [{"countdown": 1}], [{"at": "100ms", "say": "Now."}]]),
            "then": st.just("Release."),
        },
    )
    breathe = st.fixed_dictionaries(
        {"in": st.sampled_from([1, 2]), "out": st.sampled_from([1, 2])},
        optional={
            "hold": st.sampled_from([0, 1]),
            "rest": st.sampled_from([0, 1]),
            "cycles": st.integers(1, 2),
            "cue": st.sampled_from(["words", "tone", "count"]),
        },
    ).map(lambda parts: {"breathe": parts})
    return st.one_of(
        say(),
        DURATIONS.map(lambda d: {"pause": d}),
        st.sampled_from(["Begin", "Middle"]).map(lambda title: {"section": title}),
        st.sampled_from(["bell", {"bell": "soft"}, {"bell": {"preset": "end", "gain": "-6dB"}}]),
        hold,
        breathe,
    )


def valid_routines():
    """Whole routines: a few simple steps, and a repeat or sides around some of them, with placeholders."""
    inner = st.lists(simple_steps(), min_size=1, max_size=3)
    repeat = st.builds(
        lambda times, steps: {"repeat": times, "steps": [{"say": "Round {round} of {rounds}."}, *steps]},
        st.integers(1, 2),
        inner,
    )
    sides = st.builds(
        lambda steps, switch: {"sides": ["left", "right"], "steps": [{"say": "Your {side} side."}, *steps], **switch},
        inner,
        st.sampled_from([{}, {"switch": "Other side."}]),
    )
    steps = st.lists(st.one_of(simple_steps(), repeat, sides), min_size=1, max_size=4)
    output = st.fixed_dictionaries(
        {"head": st.sampled_from(["0s", "300ms"]), "tail": st.sampled_from(["0s", "500ms"])},
        optional={"sample_rate": st.sampled_from([22050, 44100]), "bitrate": st.sampled_from([48, 64])},
    )
    return st.builds(
        lambda steps, output: {"title": "Fuzz", "output": output, "steps": [{"say": "Start."}, *steps]},
        steps,
        output,
    )


@BUILDS
@given(valid_routines())
def test_generated_routines_build_to_their_timeline(workdir, routine):
    folder = workdir / "builds"
    folder.mkdir(exist_ok=True)
    path = folder / "routine.yaml"
    path.write_text(yaml.safe_dump(routine, sort_keys=False), encoding="utf-8")
    fake = Settings(engine="fake", cache_dir=workdir / "cache", jobs=1)
    result = build(path, folder / "out.mp3", timeline_path=folder / "out.json", settings=fake)
    timeline = json.loads((folder / "out.json").read_text())
    assert plan(path, fake).timeline == result.timeline
    audio, rate = soundfile.read(str(folder / "out.mp3"), dtype="float32")
    assert rate == result.timeline.sample_rate
    assert len(audio) == result.timeline.length  # to the sample: the Info frame's delay and padding
    assert len(audio) * 1000 / rate == pytest.approx(timeline["duration_ms"], abs=0.001)
    # Every sound starts where the timeline says (within 10 ms), and nothing sounds in its silences.
    errors = onset_errors(audio, rate, timeline)
    assert all(abs(e) <= 10.0 for e in errors), errors
    margin = int(0.03 * rate)  # MP3 smears a few ms across each boundary
    for event in timeline["events"]:
        start, end = (round(event[key] * rate / 1000) for key in ("start_ms", "end_ms"))
        part = audio[start + margin : end - margin]
        if len(part):
            assert (abs(part).max() < 0.01) == (event["kind"] == "silence"), event
    ends = [(e["start_ms"], e["end_ms"]) for e in timeline["events"]]
    assert ends[0][0] == 0 and all(a[1] == b[0] for a, b in zip(ends, ends[1:]))
    assert ends[-1][1] == pytest.approx(timeline["duration_ms"])
