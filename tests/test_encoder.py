"""The MP3 writer: LAME frames plus our Info frame decode to exactly the samples written."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile
from mutagen.mp3 import MP3, BitrateMode

import ffmpeg
from routinecast import encoder


@pytest.mark.parametrize("rate, kbps", [(44100, 64), (48000, 128), (32000, 32), (22050, 64), (24000, 48),
                                        (16000, 32), (11025, 16), (8000, 8)])
def test_both_decoders_return_exactly_the_samples_written(tmp_path, rate, kbps):
    n = rate * 2 + 321  # not a whole number of frames
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
    path = tmp_path / "t.mp3"
    assert encoder.encode(path, [tone[:1000], tone[1000:]], rate, "mp3", kbps) == n
    ours, got_rate = soundfile.read(str(path), dtype="float32")
    theirs = ffmpeg.decode(path)
    assert (len(ours), len(theirs), got_rate) == (n, n, rate)
    # Same signal, in place: the encoder delay was removed, not just the length trimmed.
    assert np.corrcoef(ours[2000:-2000], tone[2000:-2000])[0, 1] > 0.99
    info = MP3(str(path)).info
    assert (info.sample_rate, info.bitrate_mode) == (rate, BitrateMode.CBR)
    assert abs(info.bitrate - kbps * 1000) <= kbps  # mutagen derives it from the Info byte count and length
    assert abs(ffmpeg.probe(path)["duration_ms"] - n * 1000 / rate) < 60


def test_info_frame_fields(tmp_path):
    path = tmp_path / "t.mp3"
    samples = 44100 * 3 + 123
    encoder.encode(path, [np.zeros(samples, dtype=np.float32)], 44100, "mp3", 64)
    raw = path.read_bytes()
    at = raw.index(b"Info")
    flags, frames, size = struct.unpack(">III", raw[at + 4:at + 16])
    assert (flags, size) == (0x0F, len(raw))
    frame = 144 * 64000 // 44100
    assert frames == len(raw[frame:]) // frame  # every frame after the Info frame, none before
    lame = raw[at + 120:at + 156]
    assert lame[:9] == b"LAME3.100"
    delay_padding = int.from_bytes(lame[21:24], "big")
    assert delay_padding >> 12 == encoder.ENCODER_DELAY
    assert (delay_padding & 0xFFF) == frames * 1152 - samples - encoder.ENCODER_DELAY
    assert int.from_bytes(lame[34:36], "big") == encoder._crc16(raw[: at + 154])


def test_crc16_is_crc16_arc():
    assert encoder._crc16(b"123456789") == 0xBB3D  # the standard check value


def test_wav_clips_instead_of_wrapping(tmp_path):
    path = tmp_path / "t.wav"
    encoder.encode(path, [np.array([0.5, 1.5, -1.5], dtype=np.float32)], 8000, "wav", 64)
    data, _ = soundfile.read(str(path), dtype="int16")
    assert data.tolist() == [16384, 32767, -32768]
