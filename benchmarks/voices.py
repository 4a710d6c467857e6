"""Engine benchmark: each shipped routine with espeak-ng (pyttsx3) and with Piper, against its floors.

    pip install '.[bench,piper]'
    python benchmarks/voices.py                     # both engines, both shipped routines
    python benchmarks/voices.py --engines piper

For each engine and routine, each in a fresh process: a first build (empty
cache), a cached rebuild, and two floors measured alone: the time the engine
takes to synthesize the routine's distinct lines on every core (engine already
started, at the routine's pace) and the time the encoder takes to encode the
finished PCM in one stream. The first build's target is at most 1.3 times the
sum of the two. Peak memory is the whole process tree's (the build and all its
helpers, sampled every 50 ms), and the build process's own. Compare the ratios:
these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil

from routinecast import load_routine

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "scripts").glob("*.yaml"))
sys.path.insert(0, str(Path(__file__).parent))
from bench import FLOOR, RENDER  # noqa: E402  (the speed benchmark's encode floor and render)

SYNTH = textwrap.dedent("""
    import dataclasses, sys, time
    from routinecast import load_routine
    from routinecast.cache import ClipStore
    from routinecast.script.expansion import expand
    from routinecast.script.items import Spoken, sounding
    from routinecast.speech.engines import open_engine
    from routinecast.speech.lines import resolve_voice
    from routinecast.speech.pace import speed_for
    if __name__ == "__main__":
        routine = load_routine(sys.argv[1])
        routine = dataclasses.replace(routine, voice=dataclasses.replace(routine.voice, engine=sys.argv[2]))
        lines = list(dict.fromkeys(i.spoken for i in sounding(expand(routine)) if isinstance(i, Spoken)))
        with open_engine(sys.argv[2]) as engine:
            spec = resolve_voice(engine, routine.voice, routine.source)
            spec = dataclasses.replace(spec, speed=speed_for(engine, engine.identity(routine.voice.name), spec,
                                                              routine.voice.rate, ClipStore(sys.argv[3])))
            list(engine.synthesize(lines[:2], spec))  # every worker started and its voice loaded
            start = time.perf_counter()
            list(engine.synthesize(lines, spec))
            print(time.perf_counter() - start, len(lines))
""")


def tree_run(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB) of the whole process tree and of the top process, and stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err)
        top = psutil.Process(proc.pid)
        tree_peak = top_peak = 0.0
        while proc.poll() is None:
            try:
                procs = [top, *top.children(recursive=True)]
                sizes = []
                for p in procs:
                    try:
                        sizes.append(p.memory_info().rss)
                    except psutil.Error:
                        sizes.append(0)
                tree_peak = max(tree_peak, sum(sizes) / 2**20)
                top_peak = max(top_peak, sizes[0] / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)
        wall = time.perf_counter() - start
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(args)}\n{err.read().decode(errors='replace')}")
        out.seek(0)
        return wall, tree_peak, top_peak, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", nargs="+", default=["pyttsx3", "piper"])
    args = parser.parse_args()
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="routinecast-voices-") as tmp:
        work = Path(tmp)
        for engine in args.engines:
            for script in SCRIPTS:
                cache, out = work / f"cache-{engine}-{script.stem}", work / f"{engine}-{script.stem}.mp3"
                build = [py, "-m", "routinecast", "build", "-q", "--engine", engine, "--cache-dir", str(cache)]
                first = tree_run([*build, "-o", str(out), str(script)])
                cached = tree_run([*build, "-o", str(out), str(script)])
                synth_s, lines = tree_run([py, "-c", SYNTH, str(script), engine, str(cache)])[3].split()
                pcm = work / "pcm.npy"
                tree_run([py, "-c", RENDER, str(script), str(pcm), str(cache), engine])
                floor = FLOOR.replace("22050", str(load_routine(script).output.sample_rate))
                encode = tree_run([py, "-c", floor, str(pcm), str(work / "floor.mp3")])[0]
                pcm.unlink()
                rows.append((engine, script.stem, int(lines), first, cached, float(synth_s), encode))
    print(
        f"{'engine':<8} {'routine':<18} {'lines':>5} {'first s':>8} {'tree MB':>8} {'own MB':>7} "
        f"{'cached s':>8} {'tree MB':>8} {'synth s':>8} {'encode s':>8} {'first/floor':>11}"
    )
    for engine, name, lines, first, cached, synth, encode in rows:
        print(
            f"{engine:<8} {name:<18} {lines:>5} {first[0]:>8.1f} {first[1]:>8.0f} {first[2]:>7.0f} "
            f"{cached[0]:>8.1f} {cached[1]:>8.0f} {synth:>8.1f} {encode:>8.1f} {first[0] / (synth + encode):>11.2f}"
        )


if __name__ == "__main__":
    main()
