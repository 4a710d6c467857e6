"""Build-speed and memory benchmark: routinecast against the encode-only floor and a naive build.

    pip install '.[bench]'
    python benchmarks/bench.py                       # 10, 30, 60, 180 minutes; naive at 10, 30, 60
    python benchmarks/bench.py --minutes 10 30 --naive 10 --repeat 1

For each generated routine (about 25% speech, holds with cues, breathing, bells)
it measures, each in a fresh process: a from-scratch build (empty cache), a
cached rebuild, a rebuild after changing one sentence, the same PCM encoded
alone by the same encoder in one stream (the floor), and at the smaller sizes a
naive build (pyttsx3 per spoken line, pydub ``+=`` and overlay, export) that
does the same work: the same lines, tones and layout rules, to the same length
within the engine's trimming. Each cell is the median of ``--repeat`` runs
(three by default). Peak RSS is given for the building process itself and for
the largest of its helper processes (speech engine workers, levelling and
encoding workers), the largest seen in any run. Everything is compared within
one run, as ratios, because these machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import soundfile

RATE = 22050
WORDS = ("gently", "slowly", "softly", "calmly", "easily", "quietly")
PARTS = ("left hip", "right hip", "lower back", "shoulders", "jaw", "belly", "thighs", "neck")


def routine_text(minutes: int, edit: int = 0, bed: bool = False) -> str:
    """A routine of about ``minutes``, one block of about 70 s after another, every sentence distinct.

    ``edit`` (from 1) changes the opening sentence, differently for each value; ``bed`` adds a
    background of brown noise, which leaves no digital silence.
    """
    lines = ["title: Benchmark", f"output: {{sample_rate: {RATE}, bitrate: 64}}"]
    lines += ["background: {noise: brown}"] if bed else []
    lines += ["steps:"]
    for block in range(round(minutes * 60 / 70)):
        word, part = WORDS[block % len(WORDS)], PARTS[block // len(WORDS) % len(PARTS)]
        first = f"Block {block + 1}. Let your {part} settle {word}, and notice the breath."
        if edit and block == 0:
            first = f"An edited opening sentence, changed for run number {edit}."
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
            "  - bell: soft",
            "  - pause: 6s",
        ]
    return "\n".join(lines) + "\n"


def run(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds of one child process, and the peak RSS (MB) of the largest process in its tree."""
    # stderr goes to a file, not a pipe nobody reads: a chatty child cannot block on it.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(args)}\n{errors.read().decode(errors='replace')}")
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


FLOOR = (
    textwrap.dedent("""
    import sys, numpy as np
    from routinecast.write import encoder
    pcm = np.load(sys.argv[1], mmap_mode="r")
    chunks = (np.asarray(pcm[i:i + encoder_chunk], dtype=np.float32) for i in range(0, len(pcm), encoder_chunk))
    encoder.encode(sys.argv[2], chunks, {rate}, "mp3", 64, {})
""")
    .replace("encoder_chunk", str(1 << 16))
    .replace("{rate}", str(RATE))
)

RENDER = textwrap.dedent("""
    # argv: routine, .npy to write, speech cache, engine
    import sys, numpy as np
    from routinecast import Settings, plan
    from routinecast.mix import mixer
    from routinecast.mix.background import Bed
    if __name__ == "__main__":  # engines start worker processes
        planned = plan(sys.argv[1], Settings(engine=sys.argv[4], cache_dir=sys.argv[3]))
        routine, timeline = planned.routine, planned.timeline
        bed = Bed(routine.background, timeline, routine.output.loudness) if routine.background else None
        out = np.lib.format.open_memmap(sys.argv[2], mode="w+", dtype=np.float32, shape=(timeline.length,))
        pos = 0
        for chunk in mixer.stream(timeline, planned.bank, bed):
            out[pos:pos + len(chunk)] = chunk
            pos += len(chunk)
        out.flush()
""")

NAIVE = textwrap.dedent("""
    # pyttsx3 for every line as it comes, pydub for everything else: what a first attempt would write.
    import ctypes, os, sys, tempfile
    import espeakng_loader, imageio_ffmpeg, numpy as np
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    import pyttsx3
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    from routinecast import load_routine
    from routinecast.script.expansion import expand
    from routinecast.script.items import Spoken, Silent, Tone, Window
    from routinecast.sound.tones import render_tone
    routine = load_routine(sys.argv[1])
    rate = routine.output.sample_rate
    engine = pyttsx3.init("espeak")
    folder = tempfile.mkdtemp()
    def silence(ms):
        return AudioSegment.silent(duration=ms, frame_rate=rate)
    def say(text):
        path = os.path.join(folder, "x.wav")
        engine.save_to_file(text, path)
        engine.runAndWait()
        clip = AudioSegment.from_wav(path).set_frame_rate(rate)
        start = detect_leading_silence(clip, silence_threshold=-54)
        end = len(clip) - detect_leading_silence(clip.reverse(), silence_threshold=-54)
        return clip[start:end]
    def tone(cue):
        pcm = (render_tone(cue.name, cue.ms, cue.gain_db, rate) * 32767).astype(np.int16)
        return AudioSegment(pcm.tobytes(), frame_rate=rate, sample_width=2, channels=1)
    track = silence(routine.output.head_ms)
    after_speech = False
    for item in expand(routine):
        if after_speech and (isinstance(item, Tone) or (isinstance(item, Spoken) and not item.anchored)
                             or (isinstance(item, Window) and item.opens_with_sound and not item.attached)):
            track += silence(routine.voice.gap_ms)
        if isinstance(item, Spoken):
            track += say(item.spoken)
        elif isinstance(item, Silent):
            track += silence(item.ms)
        elif isinstance(item, Tone):
            track += tone(item)
        elif isinstance(item, Window):
            window = silence(item.ms)
            for offset, cue in item.cues:
                window = window.overlay(say(cue.spoken) if isinstance(cue, Spoken) else tone(cue), position=offset)
            track += window
        else:
            continue
        after_speech = isinstance(item, Spoken)
    track += silence(routine.output.tail_ms)
    track.export(sys.argv[2], format="mp3", bitrate=f"{routine.output.bitrate}k")
    print(len(track), file=open(sys.argv[3], "w"))
""")


def median_run(times: int, once) -> tuple[float, ...]:
    """The median wall time of ``times`` calls of ``once(k)`` (k from 1), with the largest RSS figures seen."""
    results = [once(k) for k in range(1, times + 1)]
    wall = statistics.median(r[0] for r in results)
    return (wall, *(max(r[i] for r in results) for i in range(1, len(results[0]))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30, 60, 180])
    parser.add_argument("--naive", type=int, nargs="*", default=[10, 30, 60])
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument("--bed", action="store_true", help="give every routine a background bed of brown noise")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as tmp:
        for minutes in args.minutes:
            rows.append(measure(Path(tmp), minutes, args.repeat, minutes in args.naive, args.bed))
            print(_line(rows[-1]), flush=True)
    print()
    print(_table(rows))


def measure(work: Path, minutes: int, repeat: int, naive: bool, bed: bool = False) -> dict:
    """One row of the table: every cell for a routine of ``minutes`` (with a background ``bed``)."""
    py = sys.executable
    routine = work / f"r{minutes}.yaml"
    routine.write_text(routine_text(minutes, bed=bed))
    out, report, cache = work / f"r{minutes}.mp3", work / "rss.json", work / f"cache{minutes}"

    def build(path: Path, cache: Path) -> tuple[float, float, float]:
        return run_build(["-q", "--engine", "pyttsx3", "--cache-dir", str(cache), "-o", str(out), str(path)], report)

    def edited(k: int) -> Path:
        path = work / f"r{minutes}-edit{k}.yaml"
        path.write_text(routine_text(minutes, edit=k, bed=bed))
        return path

    row: dict = {"minutes": minutes}
    row["scratch"] = median_run(repeat, lambda k: build(routine, work / f"scratch{minutes}-{k}"))
    build(routine, cache)  # warm the cache the next cells share
    row["cached"] = median_run(repeat, lambda k: build(routine, cache))
    row["edit"] = median_run(repeat, lambda k: build(edited(k), cache))
    pcm = work / f"r{minutes}.npy"
    run([py, "-c", RENDER, str(routine), str(pcm), str(cache), "pyttsx3"])
    row["floor"] = median_run(repeat, lambda k: run([py, "-c", FLOOR, str(pcm), str(work / "f.mp3")]))
    pcm.unlink()
    if naive:
        naive_ms = work / "naive-ms.txt"
        command = [py, "-c", NAIVE, str(routine), str(work / "naive.mp3"), str(naive_ms)]
        row["naive"] = median_run(repeat, lambda k: run(command))
        row["naive_length"] = float(naive_ms.read_text()) / (soundfile.info(str(out)).duration * 1000)
    return row


def _line(row: dict) -> str:
    parts = [
        f"{k} {v[0]:.2f}s/" + "/".join(f"{mb:.0f}" for mb in v[1:]) + "MB"
        for k, v in row.items()
        if isinstance(v, tuple)
    ]
    if "naive_length" in row:
        parts.append(f"naive length {row['naive_length']:.3f} x ours")
    return f"{row['minutes']} min: " + ", ".join(parts)


def _table(rows: list[dict]) -> str:
    head = (
        "| minutes | scratch s | cached s | edit s | floor s | naive s | scratch/floor | cached/floor "
        "| edit/floor | naive/ours | build process peak RSS MB (scratch/cached) | largest helper MB (scratch/cached) |"
    )
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
        lines.append(
            f"\nt(180)/t(60), from scratch: {by[180]['scratch'][0] / by[60]['scratch'][0]:.2f}; "
            f"cached: {by[180]['cached'][0] / by[60]['cached'][0]:.2f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
