"""Files a routine names (cover, sounds, background): each bad kind refused with one located line, before any work.

Every bad file is made here in a few milliseconds: long or large ones are sparse
files whose header claims the size, and they must be refused from that header,
never decoded.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3

from routinecast import RoutineError, build, load_routine
from routinecast.cli import main
from routinecast.read import media
from routinecast.read.media import MAX_AUDIO_SECONDS, MAX_COVER_BYTES, MAX_SOUNDS_SECONDS
from tests.support.ffmpeg import convert, generate, on_path
from tests.support.sparse import sparse_file, sparse_wav

RATE = 8000
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201b2f4d9a90000000049454e44ae426082"
)
NOT_AUDIO = "cannot be read as audio (format not recognised); use wav, flac, ogg or mp3"
NOT_IMAGE = "is not a PNG or JPEG image; save it as one (players show only these as covers)"
EMPTY = "is empty; use a wav, flac, ogg or mp3 file with sound in it"
NAN = (
    "has a sample that is not a number (NaN or infinity), first at 0.001s (sample 5); export it again from your editor"
)
PIPE = "is not an ordinary file (it is a pipe, socket or device); name an ordinary file"


def tone(seconds: float = 0.05, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.tile((0.3 * np.sin(2 * np.pi * 440 * t))[:, None], (1, channels)).astype(np.float32)


def make_nan(path: Path) -> None:
    audio = tone()
    audio[5] = np.nan
    audio[9] = np.inf
    soundfile.write(path, audio, RATE, subtype="FLOAT")


def make_loop(path: Path) -> None:
    os.symlink(path.name, path)


# name -> (make the file at the given path, its name, the message after "sound file '<name>' ")
SOUNDS = {
    "text named .wav": (lambda p: p.write_text("hello\n"), "x.wav", NOT_AUDIO),
    "empty file": (
        lambda p: p.write_bytes(b""),
        "x.wav",
        "is empty; use a wav, flac, ogg or mp3 file with sound in it",
    ),
    "NaN and infinity in a float WAV": (make_nan, "x.wav", NAN),
    "1 Hz": (
        lambda p: soundfile.write(p, tone(), 1),
        "x.wav",
        "has a sample rate of 1 Hz; resample it to between 8000 and 384000 Hz (44100 is usual)",
    ),
    "768 kHz": (
        lambda p: soundfile.write(p, tone(), 768000),
        "x.wav",
        "has a sample rate of 768000 Hz; resample it to between 8000 and 384000 Hz (44100 is usual)",
    ),
    "9 channels": (
        lambda p: soundfile.write(p, tone(channels=9), RATE),
        "x.wav",
        "has 9 channels; mix it down to at most 8 (mono or stereo is best)",
    ),
    "zero frames": (
        lambda p: soundfile.write(p, np.zeros((0, 1)), RATE),
        "x.wav",
        "has no audio in it (0 samples); use a file with sound in it",
    ),
    "8 channels for an hour": (
        lambda p: sparse_wav(p, 8, 48000, 3600),
        "x.wav",
        "is 1h 0m 0.0s long; trim it to at most 5 minutes",
    ),
    "a second too long": (
        lambda p: sparse_wav(p, 1, RATE, MAX_AUDIO_SECONDS + 1),
        "x.wav",
        "is 5m 1.0s long; trim it to at most 5 minutes",
    ),
    "pipe": (
        lambda p: os.mkfifo(p),
        "x.wav",
        "is not an ordinary file (it is a pipe, socket or device); name an ordinary file",
    ),
    "symbolic link loop": (make_loop, "x.wav", "is a symbolic link that loops back on itself; point it at a real file"),
    "folder": (lambda p: p.mkdir(), "x.wav", "is a folder; name an ordinary file"),
}


@pytest.fixture
def deadline():
    """Fail instead of hanging if anything blocks (reading a pipe would, forever)."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("blocked"))
    signal.alarm(20)
    yield
    signal.alarm(0)


@pytest.fixture
def undecoded(monkeypatch):
    """Fail if anything decodes audio samples: bad files must be refused from what their header says."""

    def refuse(*args, **kwargs):
        raise AssertionError("decoded a file that its header already refuses")

    monkeypatch.setattr(soundfile.SoundFile, "read", refuse)
    monkeypatch.setattr(soundfile.SoundFile, "blocks", refuse)


def check(path: Path, tmp_path: Path, capsys) -> list[str]:
    """``routinecast check`` on ``path``: its stderr lines, after asserting exit 2 and nothing on stdout."""
    code = main(["check", "--engine", "fake", "--cache-dir", str(tmp_path / "cache"), str(path)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    return captured.err.splitlines()


@pytest.mark.parametrize("case", sorted(SOUNDS))
def test_a_bad_sound_is_refused_on_its_line(case, write, tmp_path, capsys, deadline):
    make, name, message = SOUNDS[case]
    make(tmp_path / name)
    path = write(f"title: T\nsteps:\n  - say: Hi.\n  - sound: {name}\n")
    started = time.perf_counter()
    assert check(path, tmp_path, capsys) == [f"{path}:4:12: sound file '{name}' {message}"]
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("case", ["text named .wav", "zero frames", "1 Hz", "8 channels for an hour", "pipe"])
def test_a_bad_background_is_refused_on_its_line(case, write, tmp_path, capsys, deadline):
    make, name, message = SOUNDS[case]
    make(tmp_path / name)
    path = write(f"title: T\nbackground: {{file: {name}, level: -20dB}}\nsteps:\n  - say: Hi.\n")
    assert check(path, tmp_path, capsys) == [f"{path}:2:20: background.file file '{name}' {message}"]


def test_huge_files_are_refused_from_their_header_alone(write, tmp_path, undecoded):
    sparse_wav(tmp_path / "hours.wav", 8, 48000, 3600)  # 2.8 GB, 5 GB as float32, 30 GB at 384 kHz
    sparse_wav(tmp_path / "fast.wav", 1, 768000, 1)
    sparse_file(tmp_path / "huge.png", PNG, 300_000_000)
    path = write("""
        title: T
        cover: huge.png
        background: {file: hours.wav}
        steps:
          - sound: fast.wav
    """)
    with pytest.raises(RoutineError) as error:
        load_routine(path)
    assert error.value.lines() == [
        f"{path}:2:8: cover file 'huge.png' is 300.0 MB, over the 10 MB limit for a cover; "
        "save a smaller PNG or JPEG (3000x3000 pixels is plenty)",
        f"{path}:3:20: background.file file 'hours.wav' is 1h 0m 0.0s long; trim it to at most 5 minutes",
        f"{path}:5:12: sound file 'fast.wav' has a sample rate of 768000 Hz; "
        "resample it to between 8000 and 384000 Hz (44100 is usual)",
    ]


COVERS = {
    "text": (b"not an image\n", "is not a PNG or JPEG image; save it as one (players show only these as covers)"),
    "GIF": (
        b"GIF89a\x01\x00\x01\x00",
        "is not a PNG or JPEG image; save it as one (players show only these as covers)",
    ),
    "empty": (b"", "is empty; use a PNG or JPEG image"),
}


@pytest.mark.parametrize("case", sorted(COVERS))
def test_a_bad_cover_is_refused_on_its_line(case, write, tmp_path, capsys):
    data, message = COVERS[case]
    (tmp_path / "cover.png").write_bytes(data)
    path = write("title: T\ncover: cover.png\nsteps:\n  - say: Hi.\n")
    assert check(path, tmp_path, capsys) == [f"{path}:2:8: cover file 'cover.png' {message}"]


def test_a_cover_may_be_as_large_as_the_limit_and_no_larger(write, tmp_path):
    for size in (MAX_COVER_BYTES, MAX_COVER_BYTES + 1):
        sparse_file(tmp_path / f"{size}.jpg", b"\xff\xd8\xff\xe0", size)
    load_routine(write(f"title: T\ncover: {MAX_COVER_BYTES}.jpg\nsteps:\n  - say: Hi.\n"))
    with pytest.raises(RoutineError, match="is 10.0 MB, over the 10 MB limit"):
        load_routine(write(f"title: T\ncover: {MAX_COVER_BYTES + 1}.jpg\nsteps:\n  - say: Hi.\n"))


def test_an_unreadable_file_is_named(write, tmp_path, capsys, monkeypatch):
    soundfile.write(tmp_path / "x.wav", tone(), RATE)
    (tmp_path / "x.wav").chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse it the way the system would
        real = os.open

        def denying(name, *args):
            if Path(name) == tmp_path / "x.wav":
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real(name, *args)

        monkeypatch.setattr(os, "open", denying)
    path = write("title: T\nsteps:\n  - sound: x.wav\n")
    assert check(path, tmp_path, capsys) == [
        f"{path}:3:12: sound file 'x.wav' cannot be opened (permission denied); check that it exists and can be read"
    ]


def test_sounds_together_are_bounded_and_reported_where_they_cross_the_limit(write, tmp_path):
    minutes = MAX_SOUNDS_SECONDS / 60 / 2.5  # two fit, three do not
    for name in "abc":
        sparse_wav(tmp_path / f"{name}.wav", 1, RATE, minutes * 60)
    # The same file at the same gain is decoded once, so it counts once.
    load_routine(write("title: T\nsteps:\n  - sound: a.wav\n  - sound: a.wav\n  - sound: b.wav\n"))
    path = write("title: T\nsteps:\n  - sound: a.wav\n  - sound: b.wav\n  - sound: c.wav\n  - sound: a.wav\n")
    with pytest.raises(RoutineError) as error:
        load_routine(path)
    assert error.value.lines() == [
        f"{path}:5:12: the routine's sounds add up to over 10 minutes of audio "
        "(a file played at two gains counts twice); use shorter sounds or fewer of them"
    ]


def test_file_problems_come_before_any_speech(write, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(importlib.import_module("routinecast.build"), "open_engine", pytest.fail)
    (tmp_path / "x.wav").write_text("hello\n")
    path = write("title: T\nsteps:\n  - say: Hi.\n  - sound: x.wav\n")
    assert check(path, tmp_path, capsys) == [f"{path}:4:12: sound file 'x.wav' {NOT_AUDIO}"]


def test_a_file_named_many_times_is_inspected_once(write, tmp_path, monkeypatch):
    make_nan(tmp_path / "x.wav")
    media = importlib.import_module("routinecast.read.media")
    opened = []
    real = media._opened
    monkeypatch.setattr(media, "_opened", lambda p: opened.append(p) or real(p))
    path = write("title: T\nsteps:\n  - sound: x.wav\n  - repeat: 3\n    steps:\n      - sound: x.wav\n")
    with pytest.raises(RoutineError):
        load_routine(path)
    assert len(opened) == 1


def test_good_files_still_build(write, tmp_path, fake):
    (tmp_path / "cover.jpg").write_bytes(PNG)  # a PNG saved as .jpg is tagged as the PNG it is
    soundfile.write(tmp_path / "chime.flac", tone(0.5, channels=2), 48000)
    soundfile.write(tmp_path / "rain.ogg", 0.1 * np.random.default_rng(1).standard_normal(RATE), RATE)
    path = write("""
        title: Good files
        cover: cover.jpg
        background: {file: rain.ogg, level: -20dB}
        steps:
          - say: Hello.
          - sound: chime.flac
            gain: -3dB
    """)
    result = build(path, tmp_path / "good.mp3", settings=fake)
    assert [e.kind for e in result.timeline.events if e.kind != "silence"] == ["speech", "sound"]
    apic = ID3(str(tmp_path / "good.mp3")).getall("APIC")[0]
    assert (apic.mime, apic.data) == ("image/png", PNG)


def pcm_in_mov(path: Path, rate: int, channels: int) -> None:
    """A short silence as PCM in a QuickTime file named ``path``: ffmpeg takes any rate and channels there."""
    soundfile.write(path.with_suffix(".wav"), np.zeros((800, channels)), rate)
    convert(path.with_suffix(".wav"), path, "-c:a", "copy", "-f", "mov")


def silence_m4a(seconds: float):
    """``seconds`` of 8 kHz silence as ALAC in an m4a (an hour takes a second to make and is 160 kB)."""
    return lambda p: generate("anullsrc=r=8000:cl=mono", p, "-t", f"{seconds}", "-c:a", "alac")


def video_webm(path: Path) -> None:
    generate("color=c=black:s=16x16:d=0.2", path, "-c:v", "libvpx")


# name -> (make the file, its name, the message after "sound file '<name>' "); ffmpeg reads these
FFMPEG_SOUNDS = {
    "text named .m4a": (
        lambda p: p.write_text("hello\n"),
        "x.m4a",
        "cannot be read as audio (invalid data found when processing input); use wav, flac, ogg or mp3",
    ),
    "a video with no sound": (
        video_webm,
        "x.webm",
        "has no sound in it (no audio stream); use a file with sound in it",
    ),
    "9 channels": (
        lambda p: pcm_in_mov(p, 8000, 9),
        "x.m4a",
        "has 9 channels; mix it down to at most 8 (mono or stereo is best)",
    ),
    "768 kHz": (
        lambda p: pcm_in_mov(p, 768000, 1),
        "x.m4a",
        "has a sample rate of 768000 Hz; resample it to between 8000 and 384000 Hz (44100 is usual)",
    ),
    "4 channels at 96 kHz": (
        lambda p: pcm_in_mov(p, 96000, 4),
        "x.m4a",
        "has 4 channels at 96000 Hz, more than routinecast reads through ffmpeg (192000 samples a second, "
        "stereo at 96 kHz); mix it down, resample it, or convert it to flac",
    ),
    "an hour": (silence_m4a(3600), "x.m4a", "is 1h 0m 0.0s long; trim it to at most 5 minutes"),
}


@pytest.fixture
def ffmpeg(tmp_path, monkeypatch):
    on_path(tmp_path / "bin", monkeypatch)


@pytest.fixture
def undecoded_by_ffmpeg(monkeypatch):
    """Fail if pydub decodes a file: bad files must be refused from what ffmpeg finds in their header."""
    with warnings.catch_warnings():  # pydub imports audioop, deprecated since Python 3.11
        warnings.simplefilter("ignore")
        from pydub import AudioSegment

    def refuse(*args, **kwargs):
        raise AssertionError("decoded a file that its header already refuses")

    monkeypatch.setattr(AudioSegment, "from_file", refuse)


@pytest.mark.parametrize("case", sorted(FFMPEG_SOUNDS))
def test_a_bad_sound_read_through_ffmpeg_is_refused_from_its_header(
    case, write, tmp_path, capsys, ffmpeg, undecoded_by_ffmpeg, deadline
):
    make, name, message = FFMPEG_SOUNDS[case]
    make(tmp_path / name)
    path = write(f"title: T\nsteps:\n  - say: Hi.\n  - sound: {name}\n")
    started = time.perf_counter()
    assert check(path, tmp_path, capsys) == [f"{path}:4:12: sound file '{name}' {message}"]
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(("name", "kind"), [("phone.m4a", "an m4a"), ("clip.aac", "an aac"), ("call.webm", "a webm")])
def test_without_ffmpeg_a_sound_it_would_read_says_to_install_it(write, tmp_path, capsys, monkeypatch, name, kind):
    (tmp_path / name).write_bytes(b"\0\0\0\x20ftypM4A " + bytes(100))
    monkeypatch.setenv("PATH", str(tmp_path / "no-ffmpeg-here"))
    path = write(f"title: T\nsteps:\n  - say: Hi.\n  - sound: {name}\n")
    assert check(path, tmp_path, capsys) == [
        f"{path}:4:12: sound file '{name}' is {kind} file, which needs ffmpeg to read; "
        "install ffmpeg (apt install ffmpeg) or convert it to wav, flac or ogg"
    ]


def test_an_ffmpeg_that_hangs_is_given_up_on(write, tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "ffmpeg").write_text("#!/bin/sh\nexec sleep 30\n")
    (tmp_path / "bin" / "ffmpeg").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(media, "FFMPEG_TIMEOUT_S", 0.5)
    (tmp_path / "x.m4a").write_bytes(b"\0\0\0\x20ftypM4A " + bytes(100))
    started = time.perf_counter()
    with pytest.raises(media.Unusable) as error:
        media.inspect_audio(tmp_path / "x.m4a")
    assert str(error.value) == "was not opened by ffmpeg within 0.5 seconds; convert it to wav or flac"
    assert time.perf_counter() - started < 2


def test_a_file_changed_after_its_header_was_read_is_damaged(write, tmp_path, monkeypatch, ffmpeg):
    generate("sine=f=440:d=0.5", tmp_path / "x.m4a", "-c:a", "aac")
    probe = media._probe

    def then_overwritten(path):
        found = probe(path)
        path.write_text("hello\n" * 100)
        return found

    monkeypatch.setattr(media, "_probe", then_overwritten)
    with pytest.raises(media.Unusable) as error:
        media.inspect_audio(tmp_path / "x.m4a")
    assert str(error.value) == "is damaged (invalid data found when processing input); export it again from your editor"


def test_a_length_the_header_does_not_give_is_found_by_decoding(tmp_path, monkeypatch, ffmpeg):
    silence_m4a(MAX_AUDIO_SECONDS + 2)(tmp_path / "x.m4a")
    probe = media._probe
    monkeypatch.setattr(media, "_probe", lambda path: (*probe(path)[:2], None, probe(path)[3]))
    with pytest.raises(media.Unusable) as error:
        media.inspect_audio(tmp_path / "x.m4a")
    assert str(error.value) == "is over 5 minutes long; trim it to at most 5 minutes"


def test_every_sound_format_plays_at_its_length(write, tmp_path, fake, ffmpeg):
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(24000) / 48000)  # half a second at 48 kHz
    soundfile.write(tmp_path / "tone.wav", tone, 48000)
    soundfile.write(tmp_path / "tone.aiff", tone, 48000, subtype="PCM_16")
    soundfile.write(tmp_path / "tone.opus", tone, 48000, format="OGG", subtype="OPUS")
    convert(tmp_path / "tone.wav", tmp_path / "tone.m4a", "-c:a", "aac")
    convert(tmp_path / "tone.wav", tmp_path / "tone.webm", "-c:a", "libopus")
    generate("anoisesrc=d=3:r=48000:a=0.1", tmp_path / "rain.m4a", "-c:a", "aac")
    path = write("""
        title: Every format
        background: {file: rain.m4a, level: -20dB}
        steps:
          - sound: tone.aiff
          - sound: tone.opus
          - sound: tone.m4a
          - sound: tone.webm
    """)
    result = build(path, tmp_path / "every.mp3", settings=fake)
    sounds = [e for e in result.timeline.events if e.kind == "sound"]
    assert [(e.step, e.length) for e in sounds] == [(f"steps[{i}]", 22050) for i in range(4)]  # 0.5 s at 44.1 kHz
