"""Timing a listener can trust: onsets found in the decoded audio agree with the timeline."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from routinecast import Settings, load_routine, plan
from tests.support.onsets import detect_onsets, onset_errors


def test_every_onset_within_10ms(every_kind):
    folder, _, timeline = every_kind
    audio, rate = soundfile.read(str(folder / "every.mp3"), dtype="float32")
    errors = onset_errors(audio, rate, timeline)
    kinds = {e["kind"] for e in timeline["events"]}
    assert {"speech", "tone", "sound"} <= kinds
    assert len(errors) > 30
    assert max(abs(e) for e in errors) <= 10.0, errors


def test_windows_have_their_exact_lengths(every_kind):
    _, _, timeline = every_kind
    lengths = [(w["kind"], round(w["end_ms"] - w["start_ms"], 3)) for w in timeline["windows"]]
    holds = [length for kind, length in lengths if kind == "hold"]
    assert holds == [12000.0, 12000.0]
    breaths = [item for item in lengths if item[0] != "hold"]
    assert breaths == [
        ("in", 4000.0),
        ("out", 6000.0),
        ("in", 4000.0),
        ("hold_in", 2000.0),
        ("out", 5000.0),
        ("in", 3000.0),
        ("out", 4000.0),
        ("rest", 1000.0),
        ("in", 3000.0),
        ("out", 4000.0),
        ("rest", 1000.0),
    ]


def test_hold_cues_land_at_their_offsets(every_kind):
    _, _, timeline = every_kind
    hold = timeline["windows"][0]
    inside = [
        (round(e["start_ms"] - hold["start_ms"], 3), e["text"])
        for e in timeline["events"]
        if e["kind"] == "speech" and hold["start_ms"] <= e["start_ms"] <= hold["end_ms"]
    ]
    assert inside == [
        (2000.0, "Soften."),
        (6000.0, "Halfway."),
        (8000.0, "Four seconds left."),
        (10000.0, "Two"),
        (11000.0, "One"),
        (12000.0, "Release."),
    ]


def test_plan_agrees_with_the_build(every_kind, real_cache):
    folder, result, _ = every_kind
    planned = plan(folder / "every.yaml", Settings(cache_dir=real_cache))
    assert planned.timeline == result.timeline


def test_shipped_routines_have_exact_onsets(shipped):
    script, _, timeline, foreground = shipped
    routine = load_routine(script)
    assert "hurt" in routine.steps[1].text and "clinician" in routine.steps[1].text  # the safety line
    audio, rate = soundfile.read(str(foreground), dtype="float32")
    assert len(audio) * 1000 / rate == pytest.approx(timeline["duration_ms"], abs=0.5)
    assert 5 * 60_000 <= timeline["duration_ms"] <= 15 * 60_000  # from the desk reset to constructive rest
    errors = onset_errors(audio, rate, timeline)
    print(f"{script.stem}: {len(errors)} onsets, largest error {max(map(abs, errors)):.2f} ms")
    assert max(abs(e) for e in errors) <= 10.0


def test_detector_finds_a_synthetic_onset():
    rate = 44100
    audio = np.zeros(rate, dtype=np.float32)
    audio[22050:23050] = 0.1 * np.sin(np.arange(1000) / 5)
    assert detect_onsets(audio, rate) == pytest.approx([22050 * 1000 / rate + 5 / rate * 1000], abs=0.2)
