"""Batch builds on a Dask cluster (a local one, of worker processes): the same files as a local batch."""

from __future__ import annotations

import time

import pytest

from routinecast import RoutinecastError
from routinecast.batch import build_batch
from routinecast.cli import main
from routinecast.settings import Settings

distributed = pytest.importorskip("distributed")

ROUTINES = {
    "one.yaml": "title: One\nsteps:\n  - section: Start\n  - say: Lie down and rest.\n  - hold: 4s\n",
    "two.yaml": "title: Two\nsteps:\n  - say: Breathe in slowly.\n  - breathe: {in: 2, out: 3, cycles: 2}\n",
    "bad.yaml": "title: Bad\nsteps:\n  - hold: soon\n",
}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture
def routines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outputs land in ./output/, as a user's would
    paths = []
    for name, text in ROUTINES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_a_cluster_builds_the_same_files_as_a_local_batch(cluster, routines, tmp_path, real_cache):
    settings = Settings(engine="pyttsx3", cache_dir=real_cache)
    local = dict(build_batch(routines, settings, jobs=2))
    outputs = [tmp_path / "output" / f"{path.stem}.mp3" for path in routines[:2]]
    built = [output.read_bytes() for output in outputs]
    for output in outputs:
        output.unlink()
    remote = dict(build_batch(routines, settings, scheduler=cluster))
    for path, output, data in zip(routines, outputs, built):
        assert remote[path].output == local[path].output
        assert output.read_bytes() == data
        assert (remote[path].timeline, remote[path].size) == (local[path].timeline, local[path].size)
    bad = routines[2]
    assert isinstance(remote[bad], RoutinecastError) and str(remote[bad]) == str(local[bad])
    assert str(local[bad]).startswith(f"{bad}:3:")


def test_the_command_line_takes_the_scheduler_from_the_environment(cluster, routines, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ROUTINECAST_SCHEDULER", cluster)
    assert main(["build", str(routines[0]), "-q", "--engine", "pyttsx3"]) == 0
    assert capsys.readouterr().out.startswith("output/one.mp3  ")
    assert (tmp_path / "output" / "one.mp3").stat().st_size > 1000


def test_an_unreachable_scheduler_is_one_line_and_exit_2(routines, capsys):
    started = time.monotonic()
    assert main(["build", *map(str, routines[:2]), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tcp://127.0.0.1:9: cannot reach the Dask scheduler (")
    assert err.endswith("); check the address, or build without --scheduler\n") and err.count("\n") == 1
    assert time.monotonic() - started < 30


def test_split_is_not_sent_to_a_cluster(routines, capsys):
    assert main(["build", *map(str, routines[:2]), "--split", "sections", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert capsys.readouterr().err == (
        "--scheduler tcp://127.0.0.1:9: --split is not built on a cluster; build it here\n"
    )
