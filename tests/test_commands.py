"""The newer commands and options: completion, voice samples, split builds, --set, and a light --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import soundfile

from routinecast.arguments import SHELLS, parser
from routinecast.cli import main

BIN = Path(sys.executable).parent


def test_bash_completes_commands_and_options_with_the_printed_script(tmp_path):
    script = tmp_path / "routinecast.bash"
    done = subprocess.run([BIN / "routinecast", "completion", "bash"], capture_output=True, text=True, timeout=60)
    script.write_text(done.stdout)
    (tmp_path / "my.yaml").write_text("title: T\nsteps:\n  - say: Hi.\n")

    def complete(line: str) -> list[str]:
        probe = (
            f"source {script}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; "
            f"_python_argcomplete routinecast; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        )
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        run = subprocess.run(["bash", "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        return sorted(run.stdout.split())

    assert complete("routinecast b") == ["build"]
    assert complete("routinecast check --f") == ["--fast"]
    assert complete("routinecast build --spl") == ["--split"]
    assert complete("routinecast completion ") == sorted(["-h", "--help", *SHELLS])
    assert complete("routinecast plan m") == ["my.yaml"]


def test_every_shell_gets_a_script_naming_the_command(capsys):
    for shell in SHELLS:
        assert main(["completion", shell]) == 0
        script = capsys.readouterr().out
        assert "routinecast" in script and "_ARGCOMPLETE=1" in script.replace("_ARGCOMPLETE 1", "_ARGCOMPLETE=1")
    fish = subprocess.run([BIN / "routinecast", "completion", "fish"], capture_output=True, text=True, timeout=60)
    assert "complete --command routinecast -f -a '(__fish_routinecast_complete)'" in fish.stdout


def test_every_command_has_examples_in_its_help():
    commands = parser()._subparsers._group_actions[0].choices  # argparse keeps its commands here
    assert set(commands) >= {"new", "list", "build", "watch", "check", "plan", "voices", "schema", "cache"}
    for name, command in commands.items():
        assert "\nexamples:\n  routinecast " in command.format_help(), name


def test_voice_samples_are_written_per_voice(tmp_path, capsys):
    folder = tmp_path / "samples"
    assert main(["voices", "--engine", "fake", "--sample", "Breathe in slowly.", "-o", str(folder), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [v["sample"] for v in listed] == [str(folder / "fake-fake-en-us.mp3"), str(folder / "fake-fake-de.mp3")]
    # The fake voice speaks 60 ms per character: 18 characters are 1.08 s.
    assert soundfile.info(listed[0]["sample"]).duration == pytest.approx(1.08, abs=0.03)
    assert main(["voices", "--engine", "fake", "--sample", "Hi.", "-o", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(f"Fake English  {folder / 'fake-fake-en-us.mp3'}")
    assert main(["voices", "--engine", "fake", "--sample", " "]) == 2
    assert capsys.readouterr().err == "--sample: give the words to speak, such as --sample 'Breathe in slowly.'\n"


def test_a_real_voice_sample_is_speech(tmp_path, capsys):
    assert main(["voices", "--engine", "pyttsx3", "--lang", "en-us", "--sample", "Hello.", "-o", str(tmp_path)]) == 0
    written = sorted(tmp_path.glob("*.mp3"))
    assert written and all(0.2 < soundfile.info(p).duration < 2 for p in written)


def test_build_split_writes_a_file_per_section_and_reports_them(write, tmp_path, capsys):
    path = write("title: S\nsteps:\n  - section: A\n  - say: One.\n  - section: B\n  - say: Two.\n")
    args = ["build", str(path), "--split", "sections", "--engine", "fake", "--cache-dir", str(tmp_path / "c"), "-j1"]
    assert main([*args, "-o", str(tmp_path / "parts"), "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built["output"] == str(tmp_path / "parts" / "parts.m3u")
    assert built["parts"] == [str(tmp_path / "parts" / "01-a.mp3"), str(tmp_path / "parts" / "02-b.mp3")]
    assert built["bytes"] == sum(Path(p).stat().st_size for p in built["parts"])


def test_set_gives_parameters_their_values(write, tmp_path, capsys):
    path = write('title: P\nparameters: {hold: 2s}\nsteps:\n  - hold: "{hold}"\n')
    args = ["--engine", "fake", "--cache-dir", str(tmp_path / "c"), str(path)]
    assert main(["check", *args]) == 0
    assert main(["check", "--set", "hold=5s", *args]) == 0
    assert main(["plan", "--json", "--set", "hold=5s", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"{path}: ok (6.0s)", f"{path}: ok (9.0s)"]  # 1 s head + hold + 3 s tail
    assert json.loads("\n".join(out[2:]))["duration_ms"] == 9000
    assert main(["check", "--set", "nope=1", *args]) == 2
    assert capsys.readouterr().err == f"--set nope: {path} has no parameter 'nope'; its parameters: hold\n"
    with pytest.raises(SystemExit):
        main(["check", "--set", "hold", *args])
    assert capsys.readouterr().err.endswith("argument --set: must be NAME=VALUE, such as hold=45s, not 'hold'\n")


@pytest.mark.parametrize("command", [["--help"], ["build", "--help"], ["watch", "--help"]])
def test_help_is_quick_and_imports_nothing_heavy(command):
    code = (
        "import sys\nfrom routinecast.cli import main\n"
        f"try:\n    main({command!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted({'numpy', 'yaml', 'scipy', 'tqdm', 'watchfiles', 'argcomplete'} & set(sys.modules)))"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    took = time.perf_counter() - started
    assert done.stdout.splitlines()[-1] == "[]"
    assert took < 1.0  # about 0.1 s on a quiet machine; the bound leaves room for a busy one


@pytest.mark.parametrize("command", ["list", "schema", "voices --engine fake", "completion bash"])
def test_a_reader_that_is_gone_ends_nothing_loudly(command):
    """Short outputs are flushed when the command ends, long ones while it writes: both end quietly."""
    pipe = f"{sys.executable} -m routinecast {command} | (exec 0<&-; sleep 2)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as in a user's shell
    done = subprocess.run(["bash", "-o", "pipefail", "-c", pipe], env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")


def test_check_speaks_with_the_real_voice_and_finds_cues_that_clash(write, real_cache, capsys):
    path = write(
        "title: T\nsteps:\n  - hold: 2s\n    cues: [{at: 1s, say: A long sentence that cannot fit in a second.}]\n"
    )
    assert main(["check", "--fast", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok (timing not checked: --fast)\n"
    assert main(["check", "--cache-dir", str(real_cache), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"{path}:4:12: 'A long sentence that cannot fit in a second.' at 1.0s of the 2.0s hold is still speaking "
        "when the 2.0s hold ends (overruns by "
    )
    assert err.endswith(" ms); use fewer or shorter cues, a longer window, or a faster voice.rate\n")
