"""Build-speed and memory benchmark: routinecast against the encode-only floor and a naive build.

    pip install '.[bench]'
    python benchmarks/bench.py                       # 10, 30, 60, 180 minutes; naive at 10, 30, 60
    python benchmarks/bench.py --minutes 10 30 --naive 10

For each generated routine (about 25% speech, holds with cues, breathing) it
measures, each in a fresh process: a from-scratch build (empty cache), a cached
rebuild, a rebuild after changing one sentence, the same PCM encoded alone by
the same encoder in one stream (the floor), and at the smaller sizes a naive
build (pyttsx3 per step, pydub ``+=``, export). Peak RSS is given for the
building process itself and for the largest of its helper processes (speech
engine workers, levelling and encoding workers), which start and end with it.
Everything is compared within one run, as ratios, because these machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

RATE = 22050
WORDS = ("gently", "slowly", "softly", "calmly", "easily", "quietly")
PARTS = ("left hip", "right hip", "lower back", "shoulders", "jaw", "belly", "thighs", "neck")


def routine_text(minutes: int, edit: bool = False) -> str:
    """A routine of about ``minutes``, one block of about 70 s after another, every sentence distinct."""
    lines = ["title: Benchmark", f"output: {{sample_rate: {RATE}, bitrate: 64}}", "voice: {rate: 170}", "steps:"]
    for block in range(round(minutes * 60 / 70)):
        word, part = WORDS[block % len(WORDS)], PARTS[block // len(WORDS) % len(PARTS)]
        first = f"Block {block + 1}. Let your {part} settle {word}, and notice the breath."
        if edit and block == 0:
            first = "An edited opening sentence, changed for this run."
        if block % 5 == 0:
            lines.append(f"  - section: Part {block // 5 + 1}")
        lines += [
            f"  - say: {first}",
            f"  - say: Now bring your attention to the {part}, {word}, for a while.",
            "  - hold: 30s",
            f"    say: Hold here for thirty seconds, number {block + 1}.",
            "    cues: [halfway, {countdown: 3}]",
            "    then: And release.",
            "  - breathe: {in: 4, out: 6, cycles: 2, cue: words}",
            "  - pause: 6s",
        ]
    return "\n".join(lines) + "\n"


def run(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds of one child process, and the peak RSS (MB) of the largest process in its tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


BUILD = textwrap.dedent("""
    import json, resource, sys
    from routinecast.cli import main
    code = main(sys.argv[2:])
    peak = [resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    open(sys.argv[1], "w").write(json.dumps(peak))
    sys.exit(code)
""")


def run_build(args: list[str], report: Path) -> tuple[float, float, float]:
    """Wall seconds, the build process's peak RSS and its largest helper's (MB)."""
    wall, _ = run([sys.executable, "-c", BUILD, str(report), "build", *args])
    main_mb, helper_mb = json.loads(report.read_text())
    return wall, main_mb, helper_mb


FLOOR = textwrap.dedent("""
    import sys, numpy as np
    from routinecast import encoder
    pcm = np.load(sys.argv[1], mmap_mode="r")
    chunks = (np.asarray(pcm[i:i + encoder_chunk], dtype=np.float32) for i in range(0, len(pcm), encoder_chunk))
    encoder.encode(sys.argv[2], chunks, {rate}, "mp3", 64)
""").replace("encoder_chunk", str(1 << 16)).replace("{rate}", str(RATE))

RENDER = textwrap.dedent("""
    import sys, numpy as np
    from routinecast import Settings, plan, mixer
    from routinecast.background import Bed
    planned = plan(sys.argv[1], Settings(cache_dir=sys.argv[3]))
    out = np.lib.format.open_memmap(sys.argv[2], mode="w+", dtype=np.float32, shape=(planned.timeline.length,))
    pos = 0
    for chunk in mixer.stream(planned.timeline, planned.bank):
        out[pos:pos + len(chunk)] = chunk
        pos += len(chunk)
    out.flush()
""")

NAIVE = textwrap.dedent("""
    import ctypes, os, sys, tempfile, yaml
    import espeakng_loader, imageio_ffmpeg
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    import pyttsx3
    from pydub import AudioSegment
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    from routinecast import load_routine
    from routinecast.script import expand, Spoken, Silent, Window
    engine = pyttsx3.init("espeak")
    folder = tempfile.mkdtemp()
    track = AudioSegment.silent(duration=0, frame_rate=22050)
    def say(text):
        path = os.path.join(folder, "x.wav")
        engine.save_to_file(text, path); engine.runAndWait()
        return AudioSegment.from_wav(path)
    for item in expand(load_routine(sys.argv[1])):
        if isinstance(item, Spoken):
            track += say(item.spoken)
        elif isinstance(item, Silent):
            track += AudioSegment.silent(duration=item.ms, frame_rate=22050)
        elif isinstance(item, Window):
            for offset, cue in item.cues:
                if isinstance(cue, Spoken):
                    track += say(cue.spoken)
            track += AudioSegment.silent(duration=item.ms, frame_rate=22050)
    track.export(sys.argv[2], format="mp3", bitrate="64k")
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30, 60, 180])
    parser.add_argument("--naive", type=int, nargs="*", default=[10, 30, 60])
    args = parser.parse_args()
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as tmp:
        work = Path(tmp)
        for minutes in args.minutes:
            routine, edited = work / f"r{minutes}.yaml", work / f"r{minutes}-edit.yaml"
            routine.write_text(routine_text(minutes))
            edited.write_text(routine_text(minutes, edit=True))
            cache, out = work / f"cache{minutes}", work / f"r{minutes}.mp3"
            build = ["-q", "--cache-dir", str(cache), "-o", str(out)]
            report = work / "rss.json"
            row = {"minutes": minutes}
            row["scratch"] = run_build(build + [str(routine)], report)
            row["cached"] = run_build(build + [str(routine)], report)
            row["edit"] = run_build(build + [str(edited)], report)
            pcm = work / f"r{minutes}.npy"
            run([py, "-c", RENDER, str(routine), str(pcm), str(cache)])
            row["floor"] = run([py, "-c", FLOOR, str(pcm), str(work / "floor.mp3")])
            pcm.unlink()
            if minutes in args.naive:
                row["naive"] = run([py, "-c", NAIVE, str(routine), str(work / "naive.mp3")])
            rows.append(row)
            print(_line(row), flush=True)
    print()
    print(_table(rows))


def _line(row: dict) -> str:
    parts = [f"{k} {v[0]:.2f}s/" + "/".join(f"{mb:.0f}" for mb in v[1:]) + "MB" for k, v in row.items() if k != "minutes"]
    return f"{row['minutes']} min: " + ", ".join(parts)


def _table(rows: list[dict]) -> str:
    head = ("| minutes | scratch s | cached s | edit s | floor s | naive s | scratch/floor | cached/floor "
            "| edit/floor | naive/ours | build process peak RSS MB (scratch/cached) | largest helper MB (scratch/cached) |")
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        floor = r["floor"][0]
        naive = f"{r['naive'][0]:.2f}" if "naive" in r else "-"
        ratio = f"{r['naive'][0] / r['scratch'][0]:.1f}" if "naive" in r else "-"
        lines.append(
            f"| {r['minutes']} | {r['scratch'][0]:.2f} | {r['cached'][0]:.2f} | {r['edit'][0]:.2f} | {floor:.2f} "
            f"| {naive} | {r['scratch'][0] / floor:.2f} | {r['cached'][0] / floor:.2f} | {r['edit'][0] / floor:.2f} "
            f"| {ratio} | {r['scratch'][1]:.0f}/{r['cached'][1]:.0f} | {r['scratch'][2]:.0f}/{r['cached'][2]:.0f} |"
        )
    by = {r["minutes"]: r for r in rows}
    if 60 in by and 180 in by:
        lines.append(f"\nt(180)/t(60), from scratch: {by[180]['scratch'][0] / by[60]['scratch'][0]:.2f}; "
                     f"cached: {by[180]['cached'][0] / by[60]['cached'][0]:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
