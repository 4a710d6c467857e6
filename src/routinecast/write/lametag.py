"""LAME's Info tag, written by us: lameenc hands out the audio frames but not the tag.

The tag frame comes first in the file and decodes as silence in players that
do not know it. It follows LAME 3.100's VbrTag.c for a CBR mono stream, with
one difference: where the stream's frames are too small for the 100-byte seek
table, the table is left out (Xing flags 0x0B instead of 0x0F) rather than the
whole tag, so the frame stays at the stream's own bitrate (players that read
the first frame's bitrate get the length right) and the encoder delay and
padding still reach gapless decoders (ffmpeg, mpg123, browsers, mutagen).
Every other field is what LAME writes for the same settings: quality, lowpass,
flags, preset, the music CRC over every audio byte, and the tag's own CRC.
"""

from __future__ import annotations

import functools
import struct

import numpy as np

from ..formats import (
    GAPLESS_TAG_BYTES,
    MPEG1_BITRATES,
    MPEG2_BITRATES,
    frame_bytes,
    frame_samples,
    is_mpeg1,
    side_info_bytes,
)

ENCODER_DELAY = 576
"""Samples LAME 3.100 puts before the first input sample, at every rate."""
SEEK_TABLE_BYTES = 100
_VBR_QUALITY = 4  # LAME's default VBR quality; it enters the tag's quality field even for CBR
_ATH_AND_FLAGS = 0x14  # ATH type 4, nspsytune: LAME's defaults
# LAME's lowpass (Hz) for CBR by the nearest "full" bitrate (lame.c, optimum_bandwidth).
_LOWPASS = {
    8: 2000, 16: 3700, 24: 3900, 32: 5500, 40: 7000, 48: 7500, 56: 10000, 64: 11000, 80: 13500, 96: 15100,
    112: 15600, 128: 17000, 160: 17500, 192: 18600, 224: 19400, 256: 19700, 320: 20500,
}  # fmt: skip


def has_seek_table(sample_rate: int, bitrate: int) -> bool:
    """Whether a frame of the stream can hold the tag with its seek table."""
    room = frame_bytes(sample_rate, bitrate) - 4 - side_info_bytes(sample_rate)
    return room >= GAPLESS_TAG_BYTES + SEEK_TABLE_BYTES


def lowpass_hz(sample_rate: int, bitrate: int) -> int:
    """The lowpass LAME 3.100 chooses for mono CBR at ``bitrate``."""
    return int(min(_LOWPASS[_nearest_full(bitrate)] * 1.5, 20500, sample_rate // 2))


def _nearest_full(bitrate: int) -> int:
    """The nearest of LAME's "full" bitrates, by which it looks up its presets; ties go up."""
    return min(_LOWPASS, key=lambda k: (abs(k - bitrate), -k))


def info_frame(
    first: bytes, frames: int, total: int, samples: int, sample_rate: int, bitrate: int, quality: int, music_crc: int
) -> bytes:
    """The tag frame for a stream of ``frames`` audio frames after it, ``total`` bytes with the tag.

    ``first`` is the first audio frame's header; ``samples`` the samples the stream holds.
    """
    mpeg1 = is_mpeg1(sample_rate)
    index = (MPEG1_BITRATES if mpeg1 else MPEG2_BITRATES).index(bitrate) + 1  # index 0 is "free format"
    # The audio frames' header at the stream's bitrate, with no padding and no CRC.
    header = bytes((0xFF, first[1] | 0x01, (index << 4) | (first[2] & 0x0C), first[3]))
    padding = frames * frame_samples(sample_rate) - samples - ENCODER_DELAY
    toc = has_seek_table(sample_rate, bitrate)
    tag = b"Info" + struct.pack(">III", 0x0F if toc else 0x0B, frames, total)
    if toc:
        tag += bytes(min(255, i * 256 // 100) for i in range(SEEK_TABLE_BYTES))  # CBR: position grows linearly
    tag += struct.pack(">I", 100 - 10 * _VBR_QUALITY - quality)
    lowpass = min(255, int(lowpass_hz(sample_rate, bitrate) / 100 + 0.5))
    noise_shaping = 2 if _nearest_full(bitrate) <= 160 else 1
    source = {44100: 1, 48000: 2}.get(sample_rate, 0)
    misc = noise_shaping | (0x20 if sample_rate <= 32000 else 0) | (source << 6)
    lame = b"LAME3.100" + bytes((0x01, lowpass)) + bytes(4 + 2 + 2) + bytes((_ATH_AND_FLAGS, min(bitrate, 255)))
    lame += ((ENCODER_DELAY << 12) | padding).to_bytes(3, "big")
    lame += bytes((misc, 0)) + struct.pack(">HIH", bitrate, total, music_crc)
    frame = header + bytes(side_info_bytes(sample_rate)) + tag + lame
    frame += struct.pack(">H", crc16(frame))
    return frame + bytes(frame_bytes(sample_rate, bitrate) - len(frame))


def _crc_table() -> np.ndarray:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return np.array(table, dtype=np.uint32)


_TABLE = _crc_table()
# Two bytes at a time: a 16-bit state is wholly replaced by two bytes, so it depends on state ^ word alone.
_WORDS = np.arange(1 << 16, dtype=np.uint32)
_ONE = _TABLE[_WORDS & 0xFF] ^ (_WORDS >> 8)
_TABLE2 = (_TABLE[_ONE & 0xFF] ^ (_ONE >> 8)).astype(np.uint16)
_MAX_LANES = 1 << 14


def crc16(data: bytes | bytearray | memoryview, crc: int = 0) -> int:
    """CRC-16/ARC (LAME's tag and music CRC) of ``data``, continuing from ``crc``.

    Long data is cut into lanes whose CRCs are computed side by side with
    numpy and then joined pairwise (a CRC with no final XOR is linear, so the
    CRC of a join is the first part's CRC carried over the second's length,
    XOR the second's): four megabytes take about fifteen milliseconds.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    lanes = min(_MAX_LANES, 1 << max((len(buf) // 32).bit_length() - 1, 0))
    if lanes >= 64:
        width = len(buf) // lanes // 2 * 2
        words = buf[: width * lanes].reshape(lanes, width).view("<u2")
        state = np.zeros(lanes, dtype=np.uint16)
        for column in np.ascontiguousarray(words.T):
            state = _TABLE2[state ^ column]
        state = state.astype(np.uint32)
        span = width
        while len(state) > 1:  # neighbours joined: every pair at a level carries over the same length
            state = _carry(state[0::2], span) ^ state[1::2]
            span *= 2
        crc = _apply(_zeros_operator(span), crc) ^ int(state[0])
        buf = buf[width * lanes :]
    for byte in buf.tolist():
        crc = int(_TABLE[(crc ^ byte) & 0xFF]) ^ (crc >> 8)
    return crc


def _carry(states: np.ndarray, count: int) -> np.ndarray:
    """Each CRC state in ``states`` carried over ``count`` zero bytes."""
    out = np.zeros_like(states)
    for bit, image in enumerate(_zeros_operator(count)):
        out ^= np.where((states >> bit) & 1, np.uint32(image), np.uint32(0))
    return out


def _apply(operator: tuple[int, ...], crc: int) -> int:
    """A linear map on 16-bit CRC states (as the images of its 16 unit vectors) applied to ``crc``."""
    out = 0
    for bit, image in enumerate(operator):
        if crc >> bit & 1:
            out ^= image
    return out


@functools.lru_cache(maxsize=64)
def _zeros_operator(count: int) -> tuple[int, ...]:
    """The map that feeding ``count`` zero bytes applies to a CRC state (by repeated squaring)."""
    step = [int(_TABLE[(1 << bit) & 0xFF]) ^ ((1 << bit) >> 8) for bit in range(16)]
    result = [1 << bit for bit in range(16)]
    while count:
        if count & 1:
            result = [_apply(step, image) for image in result]
        step = [_apply(step, image) for image in step]
        count >>= 1
    return tuple(result)
