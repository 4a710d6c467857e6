"""The background bed on a short hand-made timeline: level, ducking, fades, loops, chunking."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pyloudnorm
import pytest
import soundfile

from routinecast.cache import ClipStore
from routinecast.mix.background import ATTACK_S, RELEASE_S, Bed
from routinecast.model import Background
from routinecast.script.timeline import Event, Timeline
from routinecast.sound import loudness

RATE = 16000


def timeline(*spans: tuple[str, float]) -> Timeline:
    """Back-to-back events of the given kinds and lengths in seconds."""
    events, at = [], 0
    for kind, seconds in spans:
        n = int(seconds * RATE)
        events.append(Event(kind, at, n, "steps[0]", source=None if kind == "silence" else "x"))
        at += n
    return Timeline("T", RATE, tuple(events), (), (), Background())


def db(audio: np.ndarray) -> float:
    return 10 * np.log10(np.mean(audio.astype(np.float64) ** 2))


def test_the_bed_dips_under_speech_by_its_duck_depth_and_sits_at_its_level():
    session = timeline(("silence", 30), ("speech", 8), ("silence", 10))
    bed = Bed(Background(), session, -16.0).chunk(0, session.length)
    undisturbed = Bed(Background(duck_db=0.0), session, -16.0).chunk(0, session.length)  # the same noise
    speech = slice(31 * RATE, 37 * RATE)
    assert db(bed[speech]) - db(undisturbed[speech]) == pytest.approx(-10.0, abs=0.01)
    quiet = slice(6 * RATE, 28 * RATE)
    assert np.array_equal(bed[quiet], undisturbed[quiet])
    # 30 dB under the programme's -16 LUFS target, where nothing else sounds.
    assert pyloudnorm.Meter(RATE).integrated_loudness(bed[quiet].astype(np.float64)) == pytest.approx(-46.0, abs=1.0)


def test_ducking_starts_before_the_voice_and_recovers_after_it():
    session = timeline(("silence", 10), ("speech", 4), ("silence", 10))
    spec = Background(noise="white", fade_ms=0)
    envelope = Bed(spec, session, -16.0)._duck(0, session.length)
    start, end = 10 * RATE, 14 * RATE
    depth = 10 ** (-spec.duck_db / 20)
    assert envelope[start - int(ATTACK_S * RATE) - 1] == pytest.approx(1.0)
    assert envelope[start] == pytest.approx(depth) and envelope[end - 1] == pytest.approx(depth)
    assert envelope[end + int(RELEASE_S * RATE) + 1] == pytest.approx(1.0)
    assert np.all(np.diff(envelope[start - int(ATTACK_S * RATE) : start]) <= 0)  # a smooth dip, no steps up
    assert np.all(np.diff(envelope[end : end + int(RELEASE_S * RATE)]) >= 0)


def test_the_bed_fades_in_and_out():
    session = timeline(("silence", 12))
    bed = Bed(Background(fade_ms=4000), session, -16.0).chunk(0, session.length)
    middle = np.abs(bed[5 * RATE : 7 * RATE]).max()
    assert np.abs(bed[: RATE // 10]).max() < middle / 10
    assert np.abs(bed[-RATE // 10 :]).max() < middle / 10


def test_chunks_join_into_the_same_bed_as_one_piece():
    session = timeline(("silence", 3), ("speech", 1), ("silence", 3))
    whole = Bed(Background(noise="pink"), session, -16.0).chunk(0, session.length)
    bed = Bed(Background(noise="pink"), session, -16.0)
    pieces = [bed.chunk(start, min(777, session.length - start)) for start in range(0, session.length, 777)]
    assert np.array_equal(np.concatenate(pieces), whole)


@pytest.mark.parametrize("noise", ["pink", "brown", "white"])
def test_any_stretch_of_the_bed_can_be_made_on_its_own(noise):
    # Parts of a session encoded apart, in other processes, each make their own stretch of the bed.
    session = timeline(("silence", 6), ("speech", 1), ("silence", 3))  # 160,000 samples: three noise blocks
    whole = Bed(Background(noise=noise), session, -16.0).chunk(0, session.length)
    for start, n in [(70_000, 5), (65_530, 12), (131_071, 28_929), (1, 150_000)]:
        assert np.array_equal(Bed(Background(noise=noise), session, -16.0).chunk(start, n), whole[start : start + n])
    # The blocks of noise join without a step: no sample-to-sample change at a join stands out.
    steps = np.abs(np.diff(whole[RATE:].astype(np.float64)))
    joins = [65_536 - RATE - 1, 2 * 65_536 - RATE - 1]
    assert steps[joins].max() < 5 * np.percentile(steps, 99)


def test_a_file_bed_keeps_playing_past_the_end_of_its_file(tmp_path):
    noise = 0.2 * np.random.default_rng(1).standard_normal(RATE)
    soundfile.write(tmp_path / "rain.wav", noise, RATE)
    session = timeline(("silence", 5))
    bed = Bed(Background(noise=None, file=tmp_path / "rain.wav", fade_ms=0), session, -16.0)
    audio = bed.chunk(0, session.length)
    levels = [db(audio[start : start + RATE // 2]) for start in range(0, session.length, RATE // 2)]
    assert max(levels) - min(levels) < 1.5, levels  # the same level all through: looped, never silent


@pytest.mark.parametrize("source", ["brown", "file"])
def test_the_beds_loudness_is_measured_once_per_store(tmp_path, monkeypatch, source):
    soundfile.write(tmp_path / "rain.wav", 0.2 * np.random.default_rng(1).standard_normal(RATE), RATE)
    spec = Background(noise=None, file=tmp_path / "rain.wav") if source == "file" else Background(noise="brown")
    session, store = timeline(("silence", 5)), ClipStore(tmp_path / "cache")
    first = Bed(spec, session, -16.0, store)
    assert first.gain == Bed(spec, session, -16.0).gain  # remembered or not, the same level

    def measure(*_):
        raise AssertionError("measured again")

    monkeypatch.setattr(loudness, "measure", measure)
    assert Bed(spec, session, -16.0, store).gain == first.gain
    if source == "file":  # another recording under the same name is another bed
        soundfile.write(tmp_path / "rain.wav", 0.1 * np.random.default_rng(2).standard_normal(RATE), RATE)
    else:
        spec = Background(noise="pink")
    with pytest.raises(AssertionError, match="measured again"):
        Bed(spec, session, -16.0, store)


def test_a_cached_noise_bed_needs_neither_scipy_signal_nor_pyloudnorm(tmp_path):
    # Importing them took 1.2 s in every process making a stretch of bed.
    code = f"""
import sys
from routinecast.cache import ClipStore
from routinecast.mix.background import Bed
from routinecast.model import Background
from routinecast.script.timeline import Event, Timeline
session = Timeline("T", {RATE}, (Event("silence", 0, {20 * RATE}, "steps[0]"),), (), (), Background())
store = ClipStore(sys.argv[1])
if sys.argv[2] == "measure":
    Bed(Background(noise="pink"), session, -16.0, store)
else:
    Bed(Background(noise="pink"), session, -16.0, store).chunk(0, {20 * RATE})
    print(sorted(name for name in ("scipy.signal", "pyloudnorm") if name in sys.modules))
"""
    run = [sys.executable, "-c", code, str(tmp_path)]
    subprocess.run([*run, "measure"], check=True)
    assert subprocess.run([*run, "read"], check=True, capture_output=True, text=True).stdout == "[]\n"
