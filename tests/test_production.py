"""A finished product: loudness, true peak, two decoders agreeing, chapters, bed, tags, no clicks."""

from __future__ import annotations

import base64
import importlib

import numpy as np
import pyloudnorm
import pytest
import soundfile
from mutagen.id3 import ID3

from routinecast import Settings, build, load_routine, plan
from routinecast.formats import frame_samples
from routinecast.mix import mixer
from routinecast.model import Background
from routinecast.write.segments import ZEROS_AFTER, ZEROS_BEFORE, split
from tests.support import decoders
from tests.support.routines import SCRIPTS

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_shipped_loudness_and_true_peak(shipped):
    script, mp3, timeline, _ = shipped
    audio, rate = soundfile.read(str(mp3), dtype="float32")
    integrated = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
    meter = decoders.ebur128(mp3)
    print(
        f"{script.stem}: pyloudnorm {integrated:.2f} LUFS; ffmpeg I {meter['I']} LUFS, "
        f"LRA {meter['LRA']} LU, TP {meter['TP']} dBTP"
    )
    assert abs(integrated - -16.0) <= 1.0
    assert abs(meter["I"] - -16.0) <= 1.0
    assert meter["TP"] <= -1.0


def test_two_decoders_agree_with_the_timeline(shipped):
    _, mp3, timeline, _ = shipped
    ours, rate = soundfile.read(str(mp3), dtype="float32")
    theirs = decoders.decode(mp3)
    assert abs(len(ours) - len(theirs)) * 1000 / rate <= 1.0
    assert abs(len(theirs) * 1000 / rate - timeline["duration_ms"]) <= 1.0
    info = decoders.probe(mp3)
    assert info["stream"].startswith("mp3") and "44100 Hz, mono" in info["stream"] and "64 kb/s" in info["stream"]
    assert abs(info["duration_ms"] - timeline["duration_ms"]) <= 60


def test_chapters_read_back_the_same_in_mutagen_and_ffmpeg(shipped):
    _, mp3, timeline, _ = shipped
    ours = [(c["title"], c["start_ms"], c["end_ms"]) for c in timeline["chapters"]]
    tags = ID3(str(mp3))
    assert [(c.sub_frames["TIT2"].text[0], c.start_time, c.end_time) for c in tags.getall("CHAP")] == ours
    assert decoders.probe(mp3)["chapters"] == ours
    assert len(ours) >= 4


def test_a_shipped_routine_has_a_background_bed():
    beds = [load_routine(script).background for script in SCRIPTS]
    assert Background(noise="brown", level_db=-30.0, duck_db=10.0, fade_ms=4000) in beds


def test_no_clicks_at_event_boundaries(every_kind, real_cache):
    folder, result, _ = every_kind
    planned = plan(folder / "every.yaml", Settings(cache_dir=real_cache))
    audio = mixer.render(planned.timeline, planned.bank)
    jumps = np.abs(np.diff(audio))
    for event in planned.timeline.events[1:]:
        around = jumps[max(event.start - 3, 0) : event.start + 3]
        assert around.max() < 0.02, (event, around.max())


def test_tags_cover_and_loudness_option(tmp_path, write, real_cache):
    (tmp_path / "cover.png").write_bytes(PNG)
    path = write("""
        title: Tagged
        author: A. Teacher
        cover: cover.png
        tags: {track: 3/12, disc: 1/2, year: 2026, genre: Meditation}
        steps:
          - say: Just one line, spoken clearly and calmly, to have something to measure.
          - say: And a second line, so that the measurement has a little more to go on.
    """)
    build(path, tmp_path / "t.mp3", settings=Settings(cache_dir=real_cache, loudness=-20.0))
    tags = ID3(str(tmp_path / "t.mp3"))
    assert tags.version[:2] == (2, 3)
    assert (str(tags["TRCK"]), str(tags["TPOS"]), str(tags["TCON"])) == ("3/12", "1/2", "Meditation")
    assert str(tags["TDRC"]) == "2026"
    assert b"TYER" in (tmp_path / "t.mp3").read_bytes()[:4096]
    apic = tags.getall("APIC")[0]
    assert (apic.mime, apic.type, apic.data) == ("image/png", 3, PNG)
    audio, rate = soundfile.read(str(tmp_path / "t.mp3"))
    assert pyloudnorm.Meter(rate).integrated_loudness(audio) == pytest.approx(-20.0, abs=1.0)


def test_two_hour_session_reports_its_duration(tmp_path, write):
    path = write("""
        title: Long
        steps:
          - repeat: 24
            steps:
              - say: Still here.
              - pause: 5m
    """)
    result = build(path, tmp_path / "long.mp3", settings=Settings(engine="fake", cache_dir=tmp_path / "c"))
    duration = result.timeline.ms(result.timeline.length)
    assert duration > 2 * 3_600_000
    info = decoders.probe(tmp_path / "long.mp3")
    assert abs(info["duration_ms"] - duration) <= 60
    assert "44100 Hz, mono" in info["stream"] and "64 kb/s" in info["stream"]
    # What mpg123 reads from the Info frame, without decoding two hours.
    assert soundfile.info(str(tmp_path / "long.mp3")).frames == result.timeline.length


def test_background_file_is_looped(tmp_path, write, fake):
    rate = 22050
    tone = 0.2 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)
    soundfile.write(tmp_path / "rain.wav", tone, rate)
    path = write("""
        title: Rain
        output: {head: 0, tail: 0}
        background: {file: rain.wav, level: -20dB, fade: 0}
        steps:
          - pause: 5s
    """)
    result = build(path, tmp_path / "rain.wav.mp3", settings=fake)
    audio, sr = soundfile.read(str(tmp_path / "rain.wav.mp3"))
    assert len(audio) == result.timeline.length == 5 * sr
    assert np.sqrt(np.mean(audio[3 * sr : 4 * sr] ** 2)) > 0.01  # still playing after the file's one second


def test_parts_encoded_in_parallel_sound_like_one_stream(every_kind, real_cache, tmp_path, monkeypatch):
    folder, _, _ = every_kind
    monkeypatch.setattr(importlib.import_module("routinecast.build"), "PARALLEL_SECONDS", 0)
    planned = plan(folder / "every.yaml", Settings(cache_dir=real_cache))
    rate = planned.timeline.sample_rate
    parts = split(planned.timeline, frame_samples(rate))
    assert sum(p.silent for p in parts) >= 3 and len(parts) >= 7  # the parallel path is really taken
    pcm = mixer.render(planned.timeline, planned.bank)
    decoded = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}.mp3"
        build(folder / "every.yaml", out, settings=Settings(cache_dir=real_cache, jobs=jobs))
        decoded[jobs] = soundfile.read(str(out), dtype="float32")[0]
        assert len(decoded[jobs]) == len(decoders.decode(out)) == len(pcm)
    error = {jobs: np.sqrt(np.mean((audio - pcm) ** 2)) for jobs, audio in decoded.items()}
    assert error[2] < 1.1 * error[1], error  # the joins add no error the codec does not make anyway
    for part in parts[1:]:
        near = slice(part.start - ZEROS_BEFORE, part.start + ZEROS_AFTER)
        assert np.abs(decoded[2][near]).max() <= np.abs(decoded[1][near]).max() + 0.02
