"""Encode a stream of samples to MP3 with LAME (through lameenc), or to WAV with libsndfile.

lameenc is LAME 3.100 at about four times the speed of libsndfile's build of it,
but it hands out the audio frames only, without LAME's Info frame. Without
that frame decoders start 25-50 ms late and players misreport the length, so
the writer reserves the first frame and, once the stream is complete, fills
in the Info tag the way LAME's own VbrTag.c lays it out: frame and byte
counts, a seek table, and the encoder delay and padding that let gapless
decoders (mpg123, ffmpeg, browsers) return exactly the samples written.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import BinaryIO, Iterable

import lameenc
import numpy as np
import soundfile

FORMATS = ("mp3", "wav")
QUALITY = 5               # LAME -q 5: its default speed/quality balance; speech at 64k loses nothing audible
ENCODER_DELAY = 576       # samples LAME 3.100 puts before the first input sample
_MPEG1_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG2_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits
_TAG_BYTES = 4 + 4 * 3 + 100 + 4 + 36  # "Info", flags, frames, bytes, seek table, quality, LAME part


def encode(path: Path, chunks: Iterable[np.ndarray], sample_rate: int, fmt: str, bitrate: int) -> int:
    """Write mono float32 ``chunks`` to ``path`` as ``fmt``; returns the number of samples written."""
    if fmt == "wav":
        written = 0
        with soundfile.SoundFile(str(path), "w", sample_rate, 1, format="WAV", subtype="PCM_16") as out:
            for chunk in chunks:
                # libsndfile wraps rather than clips out-of-range floats in integer formats.
                out.write(np.clip(chunk, -1.0, 1.0))
                written += len(chunk)
        return written
    with open(path, "w+b") as handle:
        return write_mp3(handle, chunks, sample_rate, bitrate)


def round_trip(audio: np.ndarray, sample_rate: int, bitrate: int) -> np.ndarray:
    """``audio`` encoded to MP3 and decoded again, in memory: what a listener's decoder gets."""
    buffer = io.BytesIO()
    write_mp3(buffer, [audio], sample_rate, bitrate)
    buffer.seek(0)
    return soundfile.read(buffer, dtype="float32")[0]


def write_mp3(handle: BinaryIO, chunks: Iterable[np.ndarray], sample_rate: int, bitrate: int) -> int:
    """Encode ``chunks`` as CBR mono MP3 into the seekable ``handle``, Info frame first."""
    lame = lameenc.Encoder()
    lame.set_bit_rate(bitrate)
    lame.set_in_sample_rate(sample_rate)
    lame.set_out_sample_rate(sample_rate)
    lame.set_channels(1)
    lame.set_quality(QUALITY)
    start = handle.tell()
    tag_kbps, tag_frame = _tag_frame(sample_rate, bitrate)
    handle.write(bytes(tag_frame))
    samples = 0
    for chunk in chunks:
        pcm = np.clip(np.round(np.asarray(chunk, dtype=np.float32) * 32767.0), -32768, 32767).astype("<i2")
        handle.write(lame.encode(pcm.tobytes()))
        samples += len(pcm)
    handle.write(lame.flush())
    end = handle.tell()
    handle.seek(start + tag_frame)
    frames, per_frame, first_header = _count_frames(handle, end - start - tag_frame)
    handle.seek(start)
    handle.write(_info_frame(first_header, tag_kbps, tag_frame, frames, end - start, samples, per_frame,
                             bitrate, sample_rate))
    handle.seek(end)
    return samples


def _tag_frame(sample_rate: int, bitrate: int) -> tuple[int, int]:
    """(kbit/s, bytes) of the Info frame: a frame at the stream's bitrate, or the next one up that fits the tag."""
    mpeg1 = sample_rate >= 32000
    table = _MPEG1_KBPS if mpeg1 else _MPEG2_KBPS
    side = 17 if mpeg1 else 9
    for kbps in table[table.index(bitrate):] if bitrate in table else table[1:]:
        size = (144 if mpeg1 else 72) * kbps * 1000 // sample_rate
        if size >= 4 + side + _TAG_BYTES:
            return kbps, size
    raise ValueError(f"no MP3 frame at {sample_rate} Hz can hold the Info tag")


def _count_frames(handle: BinaryIO, length: int, block: int = 1 << 20) -> tuple[int, int, bytes]:
    """(frames, samples per frame, first frame header) of the ``length`` bytes of frames that follow.

    Walks the frame headers a block at a time, so a long session is never read into memory whole.
    """
    start = handle.tell()
    first = handle.read(4)
    frames, pos = 0, 0
    while pos < length:
        handle.seek(start + pos)
        data = handle.read(min(block, length - pos))
        offset = 0
        while offset + 4 <= len(data):
            b1, b2 = data[offset + 1], data[offset + 2]
            if data[offset] != 0xFF or (b1 & 0xE0) != 0xE0:
                raise RuntimeError(f"the MP3 encoder produced a broken frame at byte {pos + offset}")
            mpeg1 = (b1 >> 3) & 3 == 3
            kbps = (_MPEG1_KBPS if mpeg1 else _MPEG2_KBPS)[b2 >> 4]
            rate = _RATES[(b1 >> 3) & 3][(b2 >> 2) & 3]
            offset += (144 if mpeg1 else 72) * kbps * 1000 // rate + ((b2 >> 1) & 1)
            frames += 1
        if offset == 0:
            raise RuntimeError("the MP3 encoder produced a truncated frame")
        pos += offset
    per_frame = 1152 if (first[1] >> 3) & 3 == 3 else 576
    return frames, per_frame, first


def _info_frame(first: bytes, kbps: int, size: int, frames: int, total: int, samples: int, per_frame: int,
                bitrate: int, sample_rate: int) -> bytes:
    mpeg1 = sample_rate >= 32000
    table = _MPEG1_KBPS if mpeg1 else _MPEG2_KBPS
    # Same stream as the audio frames, at the tag's bitrate, no padding, no CRC.
    header = bytes((0xFF, first[1] | 0x01, (table.index(kbps) << 4) | (first[2] & 0x0C), first[3]))
    padding = frames * per_frame - samples - ENCODER_DELAY
    source = 1 if sample_rate == 44100 else 2 if sample_rate == 48000 else 0
    tag = b"Info" + struct.pack(">III", 0x0F, frames, total)
    tag += bytes(min(255, i * 256 // 100) for i in range(100))  # CBR: byte position grows linearly
    tag += struct.pack(">I", 100 - 10 * QUALITY)
    lame = b"LAME3.100" + bytes((0x01, 0)) + bytes(4 + 2 + 2) + bytes((0, min(bitrate, 255)))
    lame += ((ENCODER_DELAY << 12) | padding).to_bytes(3, "big")
    lame += bytes((source << 6, 0)) + bytes(2) + struct.pack(">I", total) + bytes(2)  # no music CRC
    frame = header + bytes(17 if mpeg1 else 9) + tag + lame
    frame += struct.pack(">H", _crc16(frame))
    return frame + bytes(size - len(frame))


def _crc16(data: bytes) -> int:
    """CRC-16/ARC, as LAME protects its tag with."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc
