"""``rate`` is words per minute on every engine: measured, derived, remembered."""

from __future__ import annotations

import dataclasses
import re

import pytest

from routinecast.cache import ClipStore
from routinecast.cli import main
from routinecast.read.routine import load_routine
from routinecast.script.expansion import expand
from routinecast.script.items import Spoken, sounding
from routinecast.speech.engine import VoiceSpec
from routinecast.speech.engines import open_engine
from routinecast.speech.engines.fake import FakeEngine
from routinecast.speech.pace import PASSAGE, Unreachable, measure, speed_for, words
from tests.support.routines import SCRIPTS

NATURAL = VoiceSpec(None, 1.0, 1.0)


def shipped_lines() -> list[str]:
    """The shipped routines' distinct lines of four words or more: held out from the calibration passage."""
    lines = [
        item.spoken
        for script in SCRIPTS
        for item in sounding(expand(load_routine(script)))
        if isinstance(item, Spoken) and words(item.spoken) >= 4
    ]
    return list(dict.fromkeys(lines))


def test_words_are_counted_as_a_reader_counts_them():
    assert words("Don't rush; let it go, slowly.") == 6
    assert sum(words(line) for line in PASSAGE) == 74


@pytest.mark.parametrize("engine", ["pyttsx3", "piper"])
def test_rate_140_speaks_140_words_a_minute(engine, real_cache):
    lines = shipped_lines()
    assert len(lines) >= 40
    with open_engine(engine, 2) as opened:
        speed = speed_for(opened, opened.identity(None), NATURAL, 140, ClipStore(real_cache))
        natural = measure(opened, NATURAL, lines)
        paced = measure(opened, dataclasses.replace(NATURAL, speed=speed), lines)
    print(f"{engine}: natural {natural:.1f} wpm; rate 140 -> {paced:.1f} wpm on {len(lines)} shipped lines")
    assert natural > 180  # the engines' own pace is far too fast for relaxation
    assert abs(paced - 140) <= 7


def test_the_speed_is_measured_once_and_remembered(tmp_path):
    store = ClipStore(tmp_path)
    with FakeEngine() as engine:
        speed = speed_for(engine, "fake-1", NATURAL, 140, store)
        calls = len(engine.calls)
        assert calls >= 2 * len(PASSAGE)
        assert speed_for(engine, "fake-1", NATURAL, 140, store) == speed
        assert len(engine.calls) == calls
        assert abs(measure(engine, dataclasses.replace(NATURAL, speed=speed)) - 140) <= 140 * 0.02
        assert speed_for(engine, "fake-1", NATURAL, None, store) == 1.0


def test_a_pace_the_engine_cannot_reach_is_one_clear_error(real_cache):
    with open_engine("pyttsx3", 1) as engine:
        with pytest.raises(
            Unreachable, match=r"^the pyttsx3 engine's default voice cannot speak at 60 words a minute "
        ):
            speed_for(engine, engine.identity(None), NATURAL, 60, ClipStore(real_cache))


def test_an_unreachable_pace_is_the_routines_error_at_its_rate(write, tmp_path, capsys):
    path = write(
        "title: T\nvoice: {engine: pyttsx3}\ncues:\n  voice: {rate: 90}\nsteps:\n  - hold: 3s\n    cues: [halfway]\n"
    )
    assert main(["check", str(path), "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"{re.escape(str(path))}:4:17: the pyttsx3 engine's default voice cannot speak at 90 words a minute "
        r"\(it reached 1\d\d\); choose a rate nearer 1\d\d\n",
        err,
    ), err
