"""LAME's Info tag as we write it: LAME's own layout and values, at the stream's bitrate at every rate."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mutagen.mp3 import MP3, BitrateMode

from routinecast import formats
from routinecast.write import encoder
from routinecast.write.lametag import ENCODER_DELAY, crc16, has_seek_table, lowpass_hz


def reference_crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def test_crc16_is_crc16_arc():
    assert crc16(b"123456789") == 0xBB3D  # the standard check value


@given(st.binary(max_size=70_000), st.integers(0, 0xFFFF))
def test_the_fast_crc_equals_the_bytewise_one(data, start):
    assert crc16(data, start) == reference_crc(data, start)


def encode(tmp_path, rate: int, kbps: int, samples: int) -> bytes:
    path = tmp_path / "t.mp3"
    tone = 0.2 * np.sin(2 * np.pi * 330 * np.arange(samples) / rate)
    encoder.encode(path, [tone.astype(np.float32)], rate, "mp3", kbps, {})
    return path.read_bytes()


@pytest.mark.parametrize(
    "rate, kbps, toc, lowpass, misc",
    [(44100, 64, True, 165, 0x42), (48000, 320, True, 205, 0x81), (22050, 48, False, 110, 0x22),
     (11025, 16, False, 55, 0x22), (8000, 8, False, 30, 0x22)],
)  # fmt: skip
def test_tag_fields_are_what_lame_writes(tmp_path, rate, kbps, toc, lowpass, misc):
    samples = rate * 3 + 123
    raw = encode(tmp_path, rate, kbps, samples)
    size = formats.frame_bytes(rate, kbps)
    audio = raw[size:]
    assert raw[:2] == audio[:2] and raw[2] >> 4 == audio[2] >> 4  # the stream's own bitrate
    at = 4 + formats.side_info_bytes(rate)
    assert raw[4:at] == bytes(at - 4) and raw[at : at + 4] == b"Info"
    flags, frames, total = struct.unpack(">III", raw[at + 4 : at + 16])
    assert (flags, total, has_seek_table(rate, kbps)) == (0x0F if toc else 0x0B, len(raw), toc)
    per_frame = formats.frame_samples(rate)
    assert 0 <= frames * per_frame - samples - ENCODER_DELAY < 3 * per_frame  # what the flush adds
    quality = at + 16 + (100 if toc else 0)
    assert struct.unpack(">I", raw[quality : quality + 4]) == (55,)  # -V 4 -q 5
    lame = raw[quality + 4 : quality + 40]
    assert lame[:11] == b"LAME3.100\x01" + bytes((lowpass,))
    assert (lame[19], lame[20]) == (0x14, min(kbps, 255))
    delay_padding = int.from_bytes(lame[21:24], "big")
    assert (delay_padding >> 12, delay_padding & 0xFFF) == (ENCODER_DELAY, frames * per_frame - samples - 576)
    assert lame[24] == misc
    preset, length, music = struct.unpack(">HIH", lame[26:34])
    assert (preset, length, music) == (kbps, len(raw), reference_crc(audio))
    assert int.from_bytes(lame[34:36], "big") == reference_crc(raw[: quality + 38])
    assert not raw[quality + 40 : size].strip(b"\x00")
    info = MP3(str(tmp_path / "t.mp3")).info
    assert info.bitrate_mode == BitrateMode.CBR and info.encoder_settings.endswith(f"-b {kbps}")


def test_lowpass_follows_lame():
    assert [lowpass_hz(44100, k) for k in (32, 64, 144, 320)] == [8250, 16500, 20500, 20500]
    assert [lowpass_hz(22050, k) for k in (32, 48)] == [8250, 11025]


def test_only_bitrates_that_can_carry_the_tag_are_offered():
    assert formats.bitrates(22050)[0] == 24 and formats.bitrates(11025)[0] == 16 and formats.bitrates(8000)[0] == 8
    assert formats.bitrate_problem(16, 22050) == (
        "at 22050 Hz must be one of 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160"
    )
