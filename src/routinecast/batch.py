"""Many routines at once: one build per process, across all cores, and an M3U playlist."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .build import BuildResult, build
from .cluster import build_on_cluster, scheduler_address
from .errors import RoutinecastError, RoutineError
from .settings import Settings
from .write.files import Staging
from .write.playlist import PLAYLIST_SUFFIXES, m3u


def build_batch(
    paths: list[Path],
    settings: Settings = Settings(),
    jobs: int | None = None,
    split: str | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[Path, BuildResult | RoutinecastError]]:
    """Build each routine to its default output; yield ``(path, result or error)`` in the given order.

    Routines are built in parallel, one process each (up to ``jobs``, default one
    per core), each synthesizing with a single engine worker. ``split`` is :func:`.build.build`'s.
    With a Dask ``scheduler`` address (or ``$ROUTINECAST_SCHEDULER``), they are built on that
    cluster instead (see :mod:`.cluster`).
    """
    address = scheduler_address(scheduler)
    if address:
        if split:
            raise RoutineError(f"--scheduler {address}: --split is not built on a cluster; build it here")
        yield from build_on_cluster(paths, settings, address)
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        for path in paths:
            yield path, _build_one(path, settings, split)
        return
    single = dataclasses.replace(settings, jobs=1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_build_one, path, single, split) for path in paths]
        for path, future in zip(paths, futures):
            yield path, future.result()


def _build_one(path: Path, settings: Settings, split: str | None) -> BuildResult | RoutinecastError:
    try:
        return build(path, settings=settings, split=split)
    except RoutinecastError as exc:
        return exc


def check_playlist(target: Path | None) -> None:
    """Refuse a playlist name that is not one (before anything is built)."""
    if target and target.suffix.lower() not in PLAYLIST_SUFFIXES:
        raise RoutineError(f"{target}: a playlist must end in .m3u or .m3u8")


def write_playlist(target: Path, results: list[BuildResult]) -> None:
    """An extended M3U playlist of ``results``, with paths relative to the playlist's folder."""
    with Staging() as staging:
        staging.write_text(target, m3u(target, [(result.output, result.timeline) for result in results]))
        staging.commit()
