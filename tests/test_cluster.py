"""Batch builds on a Dask cluster (a local one, of worker processes): the same files as a local batch."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from routinecast import RoutinecastError
from routinecast.batch import build_batch
from routinecast.cli import main
from routinecast.cluster import for_workers
from routinecast.script import record
from routinecast.settings import Settings
from routinecast.write import captions

distributed = pytest.importorskip("distributed")

UNREACHABLE = "tcp://127.0.0.1:9"
ROUTINES = {
    "one.yaml": """title: One
steps:
  - section: Start
  - say: Lie on your back and let your arms rest beside you.
  - hold: 8s
    say: Let the low back soften toward the floor.
    cues: [halfway]
  - include: parts/close.yaml
""",
    "parts/close.yaml": "steps:\n  - say: And slowly roll to one side.\n",
    "two.yaml": """title: Two
output: {format: wav, sample_rate: 22050}
steps:
  - say: Breathe in slowly through the nose.
  - breathe: {in: 3, out: 4, cycles: 2}
  - bell: end
""",
    "bad.yaml": "title: Bad\nsteps:\n  - say: Rest.\n  - include: parts/broken.yaml\n",
    "parts/broken.yaml": "steps:\n  - hold: soon\n",
}
BUILT = {"one.yaml": "output/one.mp3", "two.yaml": "output/two.wav"}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture
def routines(tmp_path, monkeypatch) -> list[Path]:
    """The routines, named relative to the current folder (``tmp_path``), where ``output/`` is written."""
    monkeypatch.chdir(tmp_path)
    for name, text in ROUTINES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [Path(name) for name in (*BUILT, "bad.yaml")]


def _take_outputs() -> dict[str, bytes]:
    """The built files' bytes; the files are removed, for the next build to write afresh."""
    files = {name: Path(name).read_bytes() for name in BUILT.values()}
    for name in files:
        Path(name).unlink()
    return files


def test_a_cluster_builds_the_same_files_and_errors_as_a_local_batch(cluster, routines):
    local = dict(build_batch(routines, Settings(), jobs=2))  # espeak-ng and the session's cache, from the env
    here = _take_outputs()
    remote = dict(build_batch(routines, Settings(), scheduler=cluster))
    assert _take_outputs() == here
    for path in routines[:2]:
        assert str(remote[path].output) == BUILT[str(path)] == str(local[path].output)
        assert remote[path].size == len(here[BUILT[str(path)]]) == local[path].size
        assert record.dump(remote[path].timeline) == record.dump(local[path].timeline)
        for fmt in ("vtt", "srt"):
            assert captions.transcript(remote[path].timeline, fmt) == captions.transcript(local[path].timeline, fmt)
    assert here["output/two.wav"][:4] == b"RIFF"  # the routine's own format, not the default's
    assert remote[routines[1]].timeline.sample_rate == 22050
    bad = routines[2]
    assert isinstance(local[bad], RoutinecastError) and isinstance(remote[bad], RoutinecastError)
    assert remote[bad].lines() == local[bad].lines()
    assert local[bad].lines()[0].startswith("parts/broken.yaml:2:")  # named as given, not absolute


def test_the_command_line_gives_the_same_report_and_the_option_wins_over_the_environment(
    cluster, routines, monkeypatch, capsys
):
    names = [str(path) for path in routines]
    assert main(["build", *names, "-q", "--json", "-j", "2"]) == 2
    local = capsys.readouterr()
    here = _take_outputs()
    monkeypatch.setenv("ROUTINECAST_SCHEDULER", UNREACHABLE)
    assert main(["build", *names, "-q", "--json", "--scheduler", cluster]) == 2
    remote = capsys.readouterr()
    assert _take_outputs() == here

    def report(out: str) -> list[dict]:
        lines = [json.loads(line) for line in out.splitlines()]
        return [{key: value for key, value in line.items() if key != "seconds"} for line in lines]

    assert report(remote.out) == report(local.out)
    assert [line["output"] for line in report(local.out)[:2]] == list(BUILT.values())
    assert (remote.err, local.err) == ("", "")


def test_one_routine_goes_to_the_scheduler_the_environment_names(cluster, routines, monkeypatch, capsys):
    monkeypatch.setenv("ROUTINECAST_SCHEDULER", cluster)
    assert main(["build", "one.yaml", "-q"]) == 0
    assert capsys.readouterr().out.startswith("output/one.mp3  ")
    assert Path("output/one.mp3").read_bytes()[:3] == b"ID3"


def test_an_unreachable_scheduler_is_one_line_and_exit_2_at_once(routines, capsys):
    started = time.monotonic()
    assert main(["build", *map(str, routines[:2]), "--scheduler", UNREACHABLE]) == 2
    assert capsys.readouterr().err == (
        f"{UNREACHABLE}: cannot reach the Dask scheduler (Connection refused); "
        "check the address, or build without --scheduler\n"
    )
    assert time.monotonic() - started < 5
    assert main(["build", "one.yaml", "--scheduler", "localhost"]) == 2
    assert capsys.readouterr().err == (
        "localhost: cannot reach the Dask scheduler (missing port number in address 'localhost'); "
        "check the address, or build without --scheduler\n"
    )
    assert not Path("output").exists()


def test_without_dask_the_message_says_what_to_install(routines, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails, as where it is not installed
    assert main(["build", "one.yaml", "--scheduler", UNREACHABLE]) == 2
    assert capsys.readouterr().err == (
        f"--scheduler {UNREACHABLE}: Dask is not installed; pip install 'routinecast[cluster]'\n"
    )


def test_split_and_side_outputs_are_not_sent_to_a_cluster(routines, capsys):
    assert main(["build", "one.yaml", "two.yaml", "--split", "sections", "--scheduler", UNREACHABLE]) == 2
    assert capsys.readouterr().err == f"--scheduler {UNREACHABLE}: --split is not built on a cluster; build it here\n"
    assert main(["build", "one.yaml", "--timeline", "one.json", "--scheduler", UNREACHABLE]) == 2
    assert capsys.readouterr().err == "-o, --timeline and --transcript take one routine at a time, built here\n"


def test_workers_get_this_machines_cache_and_engine_as_absolute_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROUTINECAST_CACHE", "shared/cache")
    monkeypatch.setenv("ROUTINECAST_ENGINE", "fake")
    assert for_workers(Settings(jobs=4, bitrate=96)) == Settings(
        engine="fake", cache_dir=tmp_path / "shared/cache", jobs=1, bitrate=96
    )
    given = Settings(engine="pyttsx3", cache_dir=Path("mine"))
    assert for_workers(given) == Settings(engine="pyttsx3", cache_dir=tmp_path / "mine", jobs=1)
    monkeypatch.delenv("ROUTINECAST_CACHE")
    monkeypatch.delenv("ROUTINECAST_ENGINE")
    assert for_workers(Settings()) == Settings(jobs=1)  # the workers' own defaults


def test_building_without_a_scheduler_does_not_import_dask(routines):
    code = (
        "import sys; from routinecast.cli import main;"
        "assert main(['build', 'one.yaml', 'two.yaml', '-q', '-j', '1', '--engine', 'fake', '--cache-dir', 'c']) == 0;"
        "print(sorted({'dask', 'distributed'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.stdout.splitlines()[-1], done.returncode) == ("[]", 0)
