"""Many routines at once: one build per process, across all cores, and an M3U playlist."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .build import BuildResult, build
from .errors import RoutinecastError
from .settings import Settings
from .write.files import Staging


def build_batch(
    paths: list[Path], settings: Settings = Settings(), jobs: int | None = None
) -> Iterator[tuple[Path, BuildResult | RoutinecastError]]:
    """Build each routine to its default output; yield ``(path, result or error)`` in the given order.

    Routines are built in parallel, one process each (up to ``jobs``, default one
    per core), each synthesizing with a single engine worker.
    """
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        for path in paths:
            yield path, _build_one(path, settings)
        return
    single = dataclasses.replace(settings, jobs=1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_build_one, path, single) for path in paths]
        for path, future in zip(paths, futures):
            yield path, future.result()


def _build_one(path: Path, settings: Settings) -> BuildResult | RoutinecastError:
    try:
        return build(path, settings=settings)
    except RoutinecastError as exc:
        return exc


def write_playlist(target: Path, results: list[BuildResult]) -> None:
    """An extended M3U playlist of ``results``, with paths relative to the playlist's folder."""
    lines = ["#EXTM3U"]
    for result in results:
        seconds = round(result.timeline.length / result.timeline.sample_rate)
        where = os.path.relpath(result.output.resolve(), target.resolve().parent)
        lines += [f"#EXTINF:{seconds},{result.timeline.title}", where]
    with Staging() as staging:
        staging.write_text(target, "\n".join(lines) + "\n")
        staging.commit()
