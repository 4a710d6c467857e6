"""Batch builds on a Dask cluster against the local batch: N generated routines, from a warm speech cache.

    pip install '.[bench,cluster]'
    python benchmarks/cluster.py              # 20 routines of about 2 minutes
    python benchmarks/cluster.py --routines 4 --minutes 1

Both runs build the same routines with the same cache: the local batch on
every core, then a local Dask cluster of two worker processes with one thread
each (started beforehand, as a real cluster would be). The cluster sends each
file back to be written here, as it would across machines. The target is the
cluster within 1.25 times the local batch's time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench import routine_text

from routinecast.batch import build_batch
from routinecast.settings import Settings


def batch(paths: list[Path], settings: Settings, scheduler: str | None = None) -> float:
    """Seconds to build ``paths``; every build must succeed."""
    started = time.perf_counter()
    for path, outcome in build_batch(paths, settings, scheduler=scheduler):
        if not hasattr(outcome, "output"):
            raise SystemExit(f"{path}: {outcome}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routines", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=2)
    args = parser.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="rc-cluster-") as tmp:
        work = Path(tmp)
        os.chdir(work)  # builds land in ./output/
        paths = []
        for k in range(1, args.routines + 1):
            paths.append(work / f"r{k}.yaml")
            paths[-1].write_text(routine_text(args.minutes, edit=k))
        settings = Settings(engine="pyttsx3", cache_dir=work / "cache")
        warm = batch(paths, settings)
        local = batch(paths, settings)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            batch(paths[:2], settings, cluster.scheduler_address)  # the workers import routinecast once
            remote = batch(paths, settings, cluster.scheduler_address)
    print(
        f"{args.routines} routines of about {args.minutes} min: warming {warm:.2f} s, local batch {local:.2f} s, "
        f"Dask cluster (2 workers) {remote:.2f} s, cluster/local {remote / local:.2f} (target <= 1.25)"
    )


if __name__ == "__main__":
    main()
