"""MP3 with LAME (through lameenc), and LAME's Info frame written by us.

lameenc is LAME 3.100 at about four times the speed of libsndfile's build of it,
but it hands out the audio frames only, without LAME's Info frame. Without
that frame decoders start 25-50 ms late and players misreport the length, so
the writer reserves the first frame and, once the stream is complete, fills
in the Info tag the way LAME's own VbrTag.c lays it out: frame and byte
counts, a seek table, and the encoder delay and padding that let gapless
decoders (mpg123, ffmpeg, browsers) return exactly the samples written.

A stream can also be put together from parts encoded apart, in other
processes (cut where ``segments`` allows): ``Mp3Stream`` joins them behind one
Info frame and fills long silences with frames of silence encoded once.
"""

from __future__ import annotations

import functools
import io
import itertools
import shutil
import struct
from collections.abc import Iterable
from typing import BinaryIO

import lameenc
import numpy as np
import soundfile

from ..formats import MPEG1_BITRATES, MPEG2_BITRATES, frame_samples, is_mpeg1
from ..speech.clips import to_pcm16

QUALITY = 5  # LAME -q 5: its default speed/quality balance; speech at 64k loses nothing audible
ENCODER_DELAY = 576  # samples LAME 3.100 puts before the first input sample
_MPEG1_KBPS = (0, *MPEG1_BITRATES)  # by the header's bitrate index
_MPEG2_KBPS = (0, *MPEG2_BITRATES)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits
SILENT_RUN = 256  # frames of silence encoded once and copied
_TAG_BYTES = 4 + 4 * 3 + 100 + 4 + 36  # "Info", flags, frames, bytes, seek table, quality, LAME part


def round_trip(audio: np.ndarray, sample_rate: int, bitrate: int) -> np.ndarray:
    """``audio`` encoded to MP3 and decoded again, in memory: what a listener's decoder gets."""
    buffer = io.BytesIO()
    write_mp3(buffer, [audio], sample_rate, bitrate)
    buffer.seek(0)
    return soundfile.read(buffer, dtype="float32")[0]


def write_mp3(handle: BinaryIO, chunks: Iterable[np.ndarray], sample_rate: int, bitrate: int) -> int:
    """Encode ``chunks`` as CBR mono MP3 into the seekable ``handle``, Info frame first."""
    stream = Mp3Stream(handle, sample_rate, bitrate)
    stream.add(*encode_part(handle, chunks, sample_rate, bitrate))
    return stream.close()


def encode_part(
    handle: BinaryIO, chunks: Iterable[np.ndarray], sample_rate: int, bitrate: int, frames: int | None = None
) -> tuple[int, int]:
    """Encode ``chunks`` with a fresh LAME into ``handle``; returns (frames, samples) written.

    With ``frames``, only that many frames are kept: the part then covers exactly
    ``frames * frame_samples(sample_rate)`` samples of the session, and the next
    part, encoded on its own, follows it gaplessly. That holds when the session
    is digital silence around the cut (see ``segments``): LAME's first frame
    reaches back over its 576-sample delay into zeros either way, and what the
    flush adds past the cut is zeros too.
    """
    lame = _lame(sample_rate, bitrate)
    written = samples = 0
    limit = frames if frames is not None else float("inf")
    pending = bytearray()  # LAME hands out bytes as they are final, which need not end on a frame
    for chunk in chunks:
        pcm = to_pcm16(np.asarray(chunk, dtype=np.float32)).astype("<i2", copy=False)
        samples += len(pcm)
        pending += lame.encode(pcm.tobytes())
        written += _write_frames(handle, pending, limit - written)
    pending += lame.flush()
    written += _write_frames(handle, pending, limit - written)
    if pending and written < limit:
        raise RuntimeError("the MP3 encoder produced a truncated frame")
    if frames is not None and written != frames:
        raise RuntimeError(f"the MP3 encoder made {written} frames for a part of {frames}")
    return written, samples


def _lame(sample_rate: int, bitrate: int) -> lameenc.Encoder:
    lame = lameenc.Encoder()
    lame.set_bit_rate(bitrate)
    lame.set_in_sample_rate(sample_rate)
    lame.set_out_sample_rate(sample_rate)
    lame.set_channels(1)
    lame.set_quality(QUALITY)
    return lame


def _write_frames(handle: BinaryIO, pending: bytearray, room: float) -> int:
    """Move the whole frames at the start of ``pending`` (at most ``room``) to ``handle``; returns how many."""
    sizes = frame_sizes(pending)
    kept = sizes[: int(min(room, len(sizes)))]
    done = sum(kept)
    handle.write(pending[:done])
    del pending[:done]
    return len(kept)


def frame_sizes(data: bytes | bytearray) -> list[int]:
    """The byte size of each whole MP3 frame at the start of ``data`` (a partial last frame is left out)."""
    sizes, offset = [], 0
    while offset + 4 <= len(data):
        b1, b2 = data[offset + 1], data[offset + 2]
        if data[offset] != 0xFF or (b1 & 0xE0) != 0xE0:
            raise RuntimeError(f"the MP3 encoder produced a broken frame at byte {offset}")
        mpeg1 = (b1 >> 3) & 3 == 3
        kbps = (_MPEG1_KBPS if mpeg1 else _MPEG2_KBPS)[b2 >> 4]
        rate = _RATES[(b1 >> 3) & 3][(b2 >> 2) & 3]
        size = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((b2 >> 1) & 1)
        if offset + size > len(data):
            break
        sizes.append(size)
        offset += size
    return sizes


@functools.lru_cache(maxsize=4)
def _silent_frames(sample_rate: int, bitrate: int) -> tuple[bytes, list[int]]:
    """``SILENT_RUN`` frames of silence, and the byte offset at which each one ends."""
    # A fresh LAME fed zeros. Its frames form a stable prefix: encoding more zeros
    # changes only the last frame it has handed out, so that one is left off.
    fed = SILENT_RUN + 16  # LAME holds a few frames back until it has seen what follows
    sizes = frame_sizes(data := _lame(sample_rate, bitrate).encode(bytes(2 * frame_samples(sample_rate) * fed)))
    if len(sizes) <= SILENT_RUN:
        raise RuntimeError(f"the MP3 encoder held back {fed - len(sizes)} frames of silence")
    ends = list(itertools.accumulate(sizes[:SILENT_RUN]))
    return bytes(data[: ends[-1]]), ends


class Mp3Stream:
    """An MP3 file put together from parts encoded apart, with LAME's Info frame first.

    Each part is whole frames from ``encode_part`` (here or in another process)
    or stretches of digital silence, which are copied from frames encoded once
    instead of being encoded again.
    """

    def __init__(self, handle: BinaryIO, sample_rate: int, bitrate: int):
        self.handle, self.sample_rate, self.bitrate = handle, sample_rate, bitrate
        self.start = handle.tell()
        self.tag_kbps, self.tag_size = _tag_frame(sample_rate, bitrate)
        handle.write(bytes(self.tag_size))
        self.frames = self.samples = 0

    def add(self, frames: int, samples: int) -> None:
        """Count ``frames`` holding ``samples`` just written to the handle (by ``encode_part``)."""
        self.frames += frames
        self.samples += samples

    def copy(self, source: BinaryIO, frames: int, samples: int) -> None:
        """Append a part encoded elsewhere: ``source`` holds its ``frames`` frames and nothing else."""
        shutil.copyfileobj(source, self.handle, 1 << 20)
        self.add(frames, samples)

    def silence(self, frames: int) -> None:
        """Append ``frames`` frames of digital silence."""
        run, ends = _silent_frames(self.sample_rate, self.bitrate)
        for start in range(0, frames, SILENT_RUN):
            self.handle.write(memoryview(run)[: ends[min(SILENT_RUN, frames - start) - 1]])
        self.add(frames, frames * frame_samples(self.sample_rate))

    def close(self) -> int:
        """Fill in the Info frame; returns the number of samples in the stream."""
        end = self.handle.tell()
        self.handle.seek(self.start + self.tag_size)
        first = self.handle.read(4)
        self.handle.seek(self.start)
        self.handle.write(
            _info_frame(
                first,
                self.tag_kbps,
                self.tag_size,
                self.frames,
                end - self.start,
                self.samples,
                frame_samples(self.sample_rate),
                self.bitrate,
                self.sample_rate,
            )
        )
        self.handle.seek(end)
        return self.samples


def _tag_frame(sample_rate: int, bitrate: int) -> tuple[int, int]:
    """(kbit/s, bytes) of the Info frame: a frame at the stream's bitrate, or the next one up that fits the tag."""
    mpeg1 = is_mpeg1(sample_rate)
    table = _MPEG1_KBPS if mpeg1 else _MPEG2_KBPS
    side = 17 if mpeg1 else 9
    for kbps in table[table.index(bitrate) :] if bitrate in table else table[1:]:
        size = (144 if mpeg1 else 72) * kbps * 1000 // sample_rate
        if size >= 4 + side + _TAG_BYTES:
            return kbps, size
    raise ValueError(f"no MP3 frame at {sample_rate} Hz can hold the Info tag")


def _info_frame(
    first: bytes,
    kbps: int,
    size: int,
    frames: int,
    total: int,
    samples: int,
    per_frame: int,
    bitrate: int,
    sample_rate: int,
) -> bytes:
    mpeg1 = is_mpeg1(sample_rate)
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
