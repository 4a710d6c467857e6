"""The bad-routine corpus: every ``tests/corpus/NAME.yaml`` is refused with exactly ``NAME.err`` on stderr.

Each case runs ``routinecast check --engine fake`` in this process, from inside
the corpus folder (so messages name ``NAME.yaml`` as a user would type it), and
must exit 2, quickly and in little memory. All mismatches are reported at once.

To write the ``.err`` files from what the command prints now (a new case, or a
message reworded on purpose), name the cases (shell patterns; ``1`` for all)::

    ROUTINECAST_CORPUS_UPDATE='yaml-* step-unknown-key' python -m pytest -q tests/test_corpus.py

and read every changed ``.err`` by eye before keeping it: each line must be a
located ``file:line:col: message`` (or ``file: message`` for the file as a
whole) that says what to do.
"""

from __future__ import annotations

import fnmatch
import os
import re
import time
import tracemalloc
from pathlib import Path

from routinecast.cli import main

CORPUS = Path(__file__).parent / "corpus"
UPDATE = os.environ.get("ROUTINECAST_CORPUS_UPDATE", "").split()
"""Patterns of the cases whose ``.err`` files are written afresh (``1``: every case)."""
MIN_CASES = 100
MAX_SECONDS = 2.0
MAX_PEAK_BYTES = 200_000_000
"""Peak of Python's own allocations (tracemalloc) during one case: the Python heap, not the process's RSS."""
LINE = re.compile(r"[^\s:][^:\n]*:(\d+:\d+:)? \S.*")
"""One stderr line: ``file:line:col: message``, or ``file: message`` for a problem with the file as a whole."""


def run_case(case: Path, cache: Path, capsys) -> tuple[int, str, str, float, int]:
    """Check ``case`` (a file name in the current folder): exit code, stdout, stderr, seconds, peak bytes.

    It runs twice: timed as it is, then under tracemalloc for the memory peak
    (tracing makes Python several times slower, so its run is not timed).
    """
    capsys.readouterr()
    argv = ["check", "--engine", "fake", "--cache-dir", str(cache / "timed"), case.name]
    started = time.perf_counter()
    code = main(argv)
    seconds = time.perf_counter() - started
    captured = capsys.readouterr()
    tracemalloc.start()
    try:  # with a cache of its own, so this run does all the work the first one did
        main([*argv[:-2], str(cache / "traced"), case.name])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    capsys.readouterr()
    # Messages that name a folder give it in full; the corpus's own folder stands as <corpus>, so
    # the expected text holds wherever the repository is.
    err = captured.err.replace(str(CORPUS.resolve()), "<corpus>").replace(str(CORPUS), "<corpus>")
    return code, captured.out, err, seconds, peak


def shape_problems(err: str) -> list[str]:
    """What is wrong with the form of ``err``: lines that are not located problems, tracebacks, internal errors."""
    wrong = []
    if not err:
        wrong.append("nothing on stderr")
    for line in err.splitlines():
        if not LINE.fullmatch(line) or "Traceback" in line or "internal error" in line:
            wrong.append(f"not a located problem: {line!r}")
    return wrong


def test_every_bad_routine_gets_exactly_its_messages(tmp_path, monkeypatch, capsys):
    cases = sorted(CORPUS.glob("*.yaml"))
    assert len(cases) >= MIN_CASES, f"the corpus has {len(cases)} cases, fewer than {MIN_CASES}"
    monkeypatch.chdir(CORPUS)
    failures = []
    slowest = largest = (0.0, "")
    for case in cases:
        # A cache of its own per case, so that no case's outcome depends on another's having run.
        code, out, err, seconds, peak = run_case(case, tmp_path / case.stem, capsys)
        slowest, largest = max(slowest, (seconds, case.name)), max(largest, (peak / 1e6, case.name))
        expected_file = case.with_suffix(".err")
        if UPDATE == ["1"] or any(fnmatch.fnmatch(case.stem, pattern) for pattern in UPDATE):
            expected_file.write_text(err, encoding="utf-8")
        expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
        wrong = shape_problems(err)
        if code != 2:
            wrong.append(f"exit code {code}, not 2")
        if out:
            wrong.append(f"stdout is not empty: {out!r}")
        if expected is None:
            wrong.append(f"no {expected_file.name}; write it with ROUTINECAST_CORPUS_UPDATE={case.stem} and read it")
        elif err != expected:
            wrong.append(f"stderr differs\n    expected: {expected!r}\n    got:      {err!r}")
        if seconds >= MAX_SECONDS:
            wrong.append(f"took {seconds:.2f} s, over {MAX_SECONDS} s")
        if peak >= MAX_PEAK_BYTES:
            wrong.append(f"Python heap peaked at {peak / 1e6:.0f} MB, over {MAX_PEAK_BYTES / 1e6:.0f} MB")
        failures += [f"{case.name}: {w}" for w in wrong]
    orphans = sorted({p.stem for p in CORPUS.glob("*.err")} - {c.stem for c in cases})
    failures += [f"{name}.err: no {name}.yaml for it" for name in orphans]
    print(f"{len(cases)} cases; slowest {slowest[1]} {slowest[0]:.2f} s; largest {largest[1]} {largest[0]:.1f} MB")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
