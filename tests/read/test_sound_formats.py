"""Sound files in every format routinecast takes: libsndfile's own, and m4a/aac/webm through ffmpeg."""

import os
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
import soundfile

from routinecast import load_routine, plan
from routinecast.errors import RoutineError

RATE = 48000
CHIME = (0.3 * np.sin(2 * np.pi * 660 * np.arange(RATE // 2) / RATE)).astype(np.float32)  # half a second


def routine_with(write, name):
    return write(f"title: T\nsteps:\n  - say: Listen.\n  - sound: {name}\n")


@pytest.mark.parametrize(("name", "fmt", "subtype"), [("chime.aiff", "AIFF", "PCM_16"), ("chime.opus", "OGG", "OPUS")])
def test_libsndfile_formats(write, fake, tmp_path, name, fmt, subtype):
    soundfile.write(tmp_path / name, CHIME, RATE, format=fmt, subtype=subtype)
    timeline = plan(routine_with(write, name), fake).timeline
    (sound,) = [e for e in timeline.events if e.kind == "sound"]
    assert timeline.ms(sound.length) == pytest.approx(500, abs=1)


@pytest.fixture
def ffmpeg_on_path(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "ffmpeg").symlink_to(imageio_ffmpeg.get_ffmpeg_exe())
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder / "ffmpeg"


def test_m4a_through_ffmpeg(write, fake, tmp_path, ffmpeg_on_path):
    soundfile.write(tmp_path / "chime.wav", CHIME, RATE)
    made = subprocess.run(
        [
            str(ffmpeg_on_path),
            "-v",
            "error",
            "-i",
            str(tmp_path / "chime.wav"),
            "-c:a",
            "aac",
            str(tmp_path / "chime.m4a"),
        ],
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    timeline = plan(routine_with(write, "chime.m4a"), fake).timeline
    (sound,) = [e for e in timeline.events if e.kind == "sound"]
    assert timeline.ms(sound.length) == pytest.approx(500, abs=25)  # AAC keeps its priming samples or not


def test_m4a_without_ffmpeg_says_what_to_do(write, tmp_path, monkeypatch):
    (tmp_path / "phone.m4a").write_bytes(b"\0\0\0\x20ftypM4A " + bytes(100))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    path = routine_with(write, "phone.m4a")
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:4:12: sound file 'phone.m4a' is an m4a file, which needs ffmpeg to read; "
        "install ffmpeg (apt install ffmpeg) or convert the file to wav, flac or ogg"
    ]
