"""Starting points: new routines, the shipped list, the schema, and the command line's JSON and pipes."""

import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

from routinecast.cli import main
from routinecast.read.schema import schema
from routinecast.starter import schema_path, shipped


def test_new_writes_a_routine_that_validates_and_builds(tmp_path, capsys, real_cache):
    target = tmp_path / "my.yaml"
    assert main(["new", str(target)]) == 0
    text = target.read_text()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema_path().as_uri()}"
    assert list(jsonschema.Draft202012Validator(schema()).iter_errors(yaml.safe_load(text))) == []
    assert main(["build", "--cache-dir", str(real_cache), "-o", str(tmp_path / "my.mp3"), str(target)]) == 0
    assert (tmp_path / "my.mp3").stat().st_size > 10_000
    capsys.readouterr()
    assert main(["new", str(target)]) == 2  # never overwritten
    assert capsys.readouterr().err == f"{target}: already exists; choose another name or remove it first\n"


def test_new_from_a_shipped_routine_copies_what_it_includes(tmp_path, capsys):
    names = [routine.name for routine in shipped()]
    assert {"constructive-rest", "psoas-stretch"} <= set(names)
    for name in names:
        target = tmp_path / name / "mine.yaml"
        assert main(["new", str(target), "--from", name]) == 0
        assert main(["check", "--fast", "--engine", "fake", str(target)]) == 0
    assert main(["new", str(tmp_path / "x.yaml"), "--from", "nosuch"]) == 2
    assert capsys.readouterr().err.endswith(
        f"--from nosuch: no such shipped routine; choose one of: {', '.join(names)}\n"
    )


def test_list_and_schema(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for routine in shipped():
        assert f"{routine.name}: {routine.title}\n  {routine.description}\n  chapters: " in out
    # Chapters come from the reader: those of included files and of blocks are there too.
    yoga = next(routine for routine in shipped() if routine.name == "gentle-yoga")
    assert yoga.chapters[0] == "Before you start" and "Low lunge" in yoga.chapters and yoga.length_ms is None
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema()


def test_json_shapes(write, fake, capsys, tmp_path):
    good = write("title: T\nsteps:\n  - say: Hello there.\n  - pause: 1s\n")
    bad = write("title: T\nsteps:\n  - pause: soon\n", "bad.yaml")
    args = ["--engine", "fake", "--cache-dir", str(tmp_path / "cache")]
    assert main(["check", "--json", *args, str(good), str(bad)]) == 2
    ok, failed = json.loads(capsys.readouterr().out)
    assert ok == {"routine": str(good), "ok": True, "duration_ms": ok["duration_ms"], "timed": True}
    assert failed == {
        "routine": str(bad),
        "ok": False,
        "problems": [
            {
                "file": str(bad),
                "line": 3,
                "col": 12,
                "message": "'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon",
            }
        ],
    }
    assert main(["plan", "--json", *args, str(good)]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert planned["duration_ms"] == ok["duration_ms"] and planned["events"][1]["text"] == "Hello there."
    assert main(["build", "--json", *args, "-o", str(tmp_path / "t.mp3"), str(good)]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built == {
        "routine": str(good),
        "ok": True,
        "output": str(tmp_path / "t.mp3"),
        "duration_ms": ok["duration_ms"],
        "bytes": (tmp_path / "t.mp3").stat().st_size,
        "seconds": built["seconds"],
        "parts": [],
    }
    assert main(["build", "--json", *args, str(bad)]) == 2  # a failure is a JSON line too, on stdout
    assert json.loads(capsys.readouterr().out) == failed
    assert main(["voices", "--json", "--engine", "fake"]) == 0
    assert json.loads(capsys.readouterr().out)[0] == {
        "engine": "fake",
        "id": "fake/en-us",
        "name": "Fake English",
        "languages": ["en-us"],
        "source": "a tone made by routinecast, for tests",
        "license": "no voice data",
    }
    assert main(["check", "--fast", "--engine", "fake", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: ok (timing not checked: --fast)\n"


def test_a_closed_pipe_ends_quietly(write, tmp_path):
    lines = "\n".join(f"  - say: Line {n}.\n  - pause: 1s" for n in range(200))
    path = write(f"title: T\nsteps:\n{lines}\n")
    env = {**os.environ, "ROUTINECAST_CACHE": str(tmp_path / "cache")}
    command = f"{sys.executable} -m routinecast plan --engine fake {path} | head -2"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], env=env, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stderr, len(done.stdout.splitlines())) == (0, "", 2)


def test_help_imports_nothing_heavy():
    code = "import sys, routinecast.cli; print(sorted({'numpy', 'yaml', 'scipy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "[]\n"


def test_list_timed_gives_each_real_length(real_cache, capsys):
    assert main(["list", "--timed", "--cache-dir", str(real_cache)]) == 0
    heads = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("  ")]
    assert len(heads) == len(shipped())
    assert all(re.fullmatch(r"[a-z-]+: .+ \((\d+m )?\d+\.\ds\)", line) for line in heads), heads
