"""Batch builds on a Dask distributed cluster: one task per routine, outputs written where the client is.

A worker builds into a temporary folder of its own and sends back the
files' bytes with the result, so the output folder need not be shared; the
routines (and the files they name) must be at the same path on every
machine, and a shared ``--cache-dir`` lets the machines share speech.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .build import BuildResult, build, default_output
from .errors import RoutinecastError, RoutineError
from .settings import Settings
from .write.files import Staging, write_failure

SCHEDULER_VARIABLE = "ROUTINECAST_SCHEDULER"
"""The environment variable that names a scheduler when ``--scheduler`` does not."""
CONNECT_TIMEOUT_S = 10


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: ``given``, else ``$ROUTINECAST_SCHEDULER``, else none (build locally)."""
    return given or os.environ.get(SCHEDULER_VARIABLE) or None


def build_on_cluster(
    paths: list[Path], settings: Settings, address: str
) -> Iterator[tuple[Path, BuildResult | RoutinecastError]]:
    """Build each routine on the cluster at ``address`` to its default output here; yield in the given order."""
    try:
        from distributed import Client
    except ImportError:
        raise RoutineError(
            f"--scheduler {address}: Dask is not installed; pip install 'routinecast[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise RoutineError(
            f"{address}: cannot reach the Dask scheduler ({exc}); check the address, or build without --scheduler"
        ) from None
    single = dataclasses.replace(settings, jobs=1)  # one task per routine, as a local batch runs one per core
    with client:
        futures = [client.submit(_remote, path.resolve(), single, pure=False) for path in paths]
        for path, future in zip(paths, futures):
            outcome = future.result()
            if isinstance(outcome, RoutinecastError):
                yield path, outcome
                continue
            result, data = outcome
            target = default_output(path, result.output.suffix.lstrip("."))
            try:
                with Staging() as staging:
                    staging.path_for(target).write_bytes(data)
                    staging.commit()
            except OSError as exc:
                yield path, write_failure(exc, target)
                continue
            yield path, dataclasses.replace(result, output=target)


def _remote(path: Path, settings: Settings) -> tuple[BuildResult, bytes] | RoutinecastError:
    # On a worker: build into a folder of its own and send the file back.
    try:
        with tempfile.TemporaryDirectory(prefix="routinecast-remote-") as folder:
            fmt = settings.format or "mp3"
            result = build(path, Path(folder) / f"{path.stem}.{fmt}", settings=settings)
            return result, result.output.read_bytes()
    except RoutinecastError as exc:
        return exc
