"""Batch builds on a Dask distributed cluster: one task per routine, outputs written where the client is.

A worker builds into a temporary folder of its own and sends back the
file's bytes with the result, so the output folder need not be shared; the
routines (and the files they name) must be at the same path on every
machine, and a shared ``--cache-dir`` lets the machines share speech.
Dask is imported only here, and only once a scheduler is given.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .build import BuildResult, build, default_output
from .cache import CACHE_VARIABLE
from .errors import Problem, RoutinecastError, RoutineError
from .read.routine import load_routine
from .settings import Settings
from .speech.engines import ENGINE_ENV
from .write.files import Staging, check_outputs, write_failure

SCHEDULER_VARIABLE = "ROUTINECAST_SCHEDULER"
"""The environment variable that names a scheduler when ``--scheduler`` does not."""
CONNECT_TIMEOUT_S = 10
"""Seconds to wait for the scheduler before saying it cannot be reached."""


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: ``given``, else ``$ROUTINECAST_SCHEDULER``, else none (build locally)."""
    return given or os.environ.get(SCHEDULER_VARIABLE) or None


def build_on_cluster(
    paths: list[Path], settings: Settings, address: str
) -> Iterator[tuple[Path, BuildResult | RoutinecastError]]:
    """Build each routine on the cluster at ``address`` to its default output here; yield in the given order.

    A routine's error is yielded as a local batch's is, naming the files as they were given here.
    """
    client = _connect(address)
    remote = for_workers(settings)
    with client:
        # Workers read the routines at the same path: absolute, as another machine has another current folder.
        futures = [client.submit(_remote, path.absolute(), remote, pure=False) for path in paths]
        for path, future in zip(paths, futures):
            outcome = future.result()
            if isinstance(outcome, RoutinecastError):
                yield path, named_as_given(outcome, path)
            else:
                yield path, _write_here(path, *outcome)


def for_workers(settings: Settings) -> Settings:
    """``settings`` as a worker elsewhere must see them: one engine process per task (as in a local
    batch), and this machine's cache folder and engine choice, absolute, when given by the environment."""
    cache = settings.cache_dir or os.environ.get(CACHE_VARIABLE)
    return dataclasses.replace(
        settings,
        jobs=1,
        engine=settings.engine or os.environ.get(ENGINE_ENV) or None,
        cache_dir=Path(cache).absolute() if cache else None,
    )


def named_as_given(error: RoutinecastError, path: Path) -> RoutinecastError:
    """``error`` from a worker with the routine's folder named as ``path`` names it, not absolute."""
    if not isinstance(error, RoutineError) or path.is_absolute():
        return error
    absolute, given = f"{path.absolute().parent}{os.sep}", f"{path.parent}{os.sep}"
    given = "" if path.parent == Path(".") else given

    def local(text: str) -> str:
        return text.replace(absolute, given)

    problems = [
        dataclasses.replace(p, file=local(p.file), message=local(p.message)) if isinstance(p, Problem) else local(p)
        for p in error.problems
    ]
    return RoutineError(problems)


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise RoutineError(
            f"--scheduler {address}: Dask is not installed; pip install 'routinecast[cluster]'"
        ) from None
    try:
        _knock(address)
        return Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError) as exc:  # ValueError: an address Dask cannot read
        reason = getattr(exc, "strerror", None) or str(exc).rstrip(".") or type(exc).__name__
        raise RoutineError(
            f"{address}: cannot reach the Dask scheduler ({reason}); check the address, or build without --scheduler"
        ) from None


def _knock(address: str) -> None:
    """Fail at once on an address that cannot be read or a port nobody listens on, which Dask would
    retry until its timeout (and, for the first, leave a client that hangs on its way out)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):
        with socket.create_connection(parse_host_port(location), timeout=CONNECT_TIMEOUT_S):
            pass


def _write_here(path: Path, result: BuildResult, data: bytes) -> BuildResult | RoutinecastError:
    target = default_output(path, result.output.suffix.lstrip("."))
    try:
        check_outputs(path, target, {})
        with Staging() as staging:
            staging.path_for(target).write_bytes(data)
            staging.commit()
    except RoutineError as exc:
        return exc
    except OSError as exc:
        return write_failure(exc, target)
    return dataclasses.replace(result, output=target)


def _remote(path: Path, settings: Settings) -> tuple[BuildResult, bytes] | RoutinecastError:
    # On a worker: build into a folder of its own and send the file back.
    try:
        # The output's name must carry the routine's own format (output.format), as a default output does.
        fmt = settings.format or load_routine(path, settings.parameters).output.format or "mp3"
        with tempfile.TemporaryDirectory(prefix="routinecast-remote-") as folder:
            result = build(path, Path(folder) / f"{path.stem}.{fmt}", settings=settings)
            return result, result.output.read_bytes()
    except RoutinecastError as exc:
        return exc
