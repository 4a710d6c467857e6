"""User sound files decoded a block at a time: the same samples as a whole-file decode, in bounded memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import soundfile
import soxr

from routinecast import RoutineError
from routinecast.read.media import SCAN_FRAMES
from routinecast.sound.recordings import decode_audio
from tests.support.ffmpeg import convert, on_path
from tests.support.sparse import sparse_wav


def whole(path, rate: int) -> np.ndarray:
    """The plain way: the whole file read, mixed down and resampled in one piece."""
    data, own = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    return mono if own == rate else soxr.resample(mono, own, rate, quality="HQ")


@pytest.mark.parametrize(("own", "rate", "channels"), [(48000, 44100, 2), (22050, 22050, 1), (8000, 48000, 6)])
def test_blocks_give_the_samples_of_a_whole_file_decode(tmp_path, own, rate, channels):
    frames = 3 * SCAN_FRAMES + 123  # several blocks and a short last one
    audio = 0.3 * np.random.default_rng(channels).standard_normal((frames, channels))
    soundfile.write(tmp_path / "x.flac", audio, own)
    decoded = decode_audio(tmp_path / "x.flac", rate)
    assert decoded.dtype == np.float32
    assert np.array_equal(decoded, whole(tmp_path / "x.flac", rate))


def test_memory_is_the_mono_result_not_the_file(tmp_path):
    path = sparse_wav(tmp_path / "wide.wav", 8, 48000, 120)  # 2 minutes of 8 channels, all zeros
    tracemalloc.start()
    try:
        decoded = decode_audio(path, 48000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(decoded) == 120 * 48000
    # The whole file as float32 would be 8 times the result; block by block it is the result and a block or two.
    assert peak < decoded.nbytes + 8 * SCAN_FRAMES * 4 * 4


def test_a_file_that_breaks_a_limit_is_refused_before_decoding(tmp_path):
    soundfile.write(tmp_path / "slow.wav", np.zeros(100), 1)  # 1 Hz: 100 samples would become 4.4 million
    with pytest.raises(RoutineError, match=r"slow.wav: has a sample rate of 1 Hz; resample it"):
        decode_audio(tmp_path / "slow.wav", 44100)


def test_not_a_number_never_reaches_the_result(tmp_path):
    # A checked routine refuses such a file; one changed after the check must still decode to finite samples.
    audio = np.full(1000, 0.1, dtype=np.float32)
    audio[10], audio[20] = np.nan, np.inf
    soundfile.write(tmp_path / "x.wav", audio, 8000, subtype="FLOAT")
    decoded = decode_audio(tmp_path / "x.wav", 8000)
    assert np.isfinite(decoded).all() and decoded[10] == decoded[20] == 0.0


TONE = (0.3 * np.sin(2 * np.pi * 440 * np.arange(24000) / 48000)).astype(np.float32)  # half a second at 48 kHz
"""What every format below holds, in stereo."""


def write_tone(folder, name: str):
    """The stereo tone as ``name``: written by libsndfile, or converted by ffmpeg from a WAV of it."""
    stereo = np.stack([TONE, TONE], axis=1)
    if name.endswith((".aiff", ".aif")):
        soundfile.write(folder / name, stereo, 48000, format="AIFF", subtype="PCM_16")
    elif name.endswith(".opus"):
        soundfile.write(folder / name, stereo, 48000, format="OGG", subtype="OPUS")
    else:
        soundfile.write(folder / "tone.wav", stereo, 48000)
        codec = {".m4a": "aac", ".webm": "libopus"}[name[name.rindex(".") :]]
        convert(folder / "tone.wav", folder / name, "-c:a", codec)
    return folder / name


@pytest.mark.parametrize("name", ["tone.aiff", "tone.aif", "tone.opus", "tone.m4a", "tone.webm"])
def test_every_format_decodes_to_its_exact_length(tmp_path, monkeypatch, name):
    on_path(tmp_path / "bin", monkeypatch)  # m4a and webm are decoded by the ffmpeg on the PATH
    path = write_tone(tmp_path, name)
    decoded = decode_audio(path, 48000)
    assert (decoded.dtype, len(decoded)) == (np.float32, len(TONE))
    # Lossy codecs change the samples a little; libsndfile's Opus, more in its first and last few milliseconds.
    assert np.abs(decoded - TONE)[1000:-1000].max() < 0.02
    assert len(decode_audio(path, 44100)) == 22050
