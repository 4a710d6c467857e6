"""MP3 with LAME (through lameenc), behind LAME's Info frame (``lametag``).

lameenc is LAME 3.100 at about four times the speed of libsndfile's build of it,
but it hands out the audio frames only. Without the Info frame decoders start
25-50 ms late and players misreport the length, so the writer reserves the
first frame and fills in the tag once the stream is complete.

A stream can also be put together from parts encoded apart, in other
processes (cut where ``segments`` allows): ``Mp3Stream`` joins them behind one
Info frame and fills long silences with frames of silence encoded once. A CBR
stream pads some frames by a byte so that its average bitrate is exact; each
fresh encoder starts that pattern anew, so the frames of silence (whose bytes
are all ancillary data, free to grow or shrink by one) are padded to bring the
file back onto the pattern of one continuous stream, byte for byte in length.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from typing import BinaryIO

import lameenc
import numpy as np
import soundfile

from ..formats import MPEG1_BITRATES, MPEG2_BITRATES, frame_bytes, frame_samples, is_mpeg1
from ..speech.clips import to_pcm16
from .lametag import crc16, info_frame

QUALITY = 5  # LAME -q 5: its default speed/quality balance; speech at 64k loses nothing audible
_MPEG1_KBPS = (0, *MPEG1_BITRATES)  # by the header's bitrate index
_MPEG2_KBPS = (0, *MPEG2_BITRATES)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits
SILENT_RUN = 256  # frames of silence encoded once and copied


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


def encode_part(handle: BinaryIO, chunks: Iterable[np.ndarray], sample_rate: int, bitrate: int) -> tuple[int, int]:
    """Encode ``chunks`` with a fresh LAME into ``handle``, flushed; returns (frames, samples) written.

    The frames cover the samples given, with LAME's 576-sample delay before
    them and its padding after; where a part encoded so joins the next one,
    ``seams`` says.
    """
    lame = _lame(sample_rate, bitrate)
    written = samples = 0
    pending = bytearray()  # LAME hands out bytes as they are final, which need not end on a frame
    for chunk in chunks:
        pcm = to_pcm16(np.asarray(chunk, dtype=np.float32)).astype("<i2", copy=False)
        samples += len(pcm)
        pending += lame.encode(pcm.tobytes())
        written += _write_frames(handle, pending)
    pending += lame.flush()
    written += _write_frames(handle, pending)
    if pending:
        raise RuntimeError("the MP3 encoder produced a truncated frame")
    return written, samples


def _lame(sample_rate: int, bitrate: int) -> lameenc.Encoder:
    lame = lameenc.Encoder()
    lame.set_bit_rate(bitrate)
    lame.set_in_sample_rate(sample_rate)
    lame.set_out_sample_rate(sample_rate)
    lame.set_channels(1)
    lame.set_quality(QUALITY)
    return lame


def _write_frames(handle: BinaryIO, pending: bytearray) -> int:
    """Move the whole frames at the start of ``pending`` to ``handle``; returns how many."""
    sizes = frame_sizes(pending)
    done = sum(sizes)
    handle.write(pending[:done])
    del pending[:done]
    return len(sizes)


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
def _silent_frames(sample_rate: int, bitrate: int) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """``SILENT_RUN`` frames of silence, each without its padding byte and with it."""
    # A fresh LAME fed zeros. Its frames form a stable prefix: encoding more zeros
    # changes only the last frame it has handed out, so that one is left off.
    fed = SILENT_RUN + 16  # LAME holds a few frames back until it has seen what follows
    data = _lame(sample_rate, bitrate).encode(bytes(2 * frame_samples(sample_rate) * fed))
    sizes = frame_sizes(data)
    if len(sizes) <= SILENT_RUN:
        raise RuntimeError(f"the MP3 encoder held back {fed - len(sizes)} frames of silence")
    frames, at = [], 0
    for size in sizes[:SILENT_RUN]:
        frame = bytearray(data[at : at + size])
        at += size
        if not _no_audio_data(frame, sample_rate):
            raise RuntimeError("the MP3 encoder put audio data into a frame of silence")
        if frame[2] & 0x02:  # drop the padding byte: in a frame with no audio data it is ancillary
            frame[2] &= ~0x02
            del frame[-1]
        frames.append(bytes(frame))
    padded = (bytes((frame[0], frame[1], frame[2] | 0x02)) + frame[3:] + b"\x00" for frame in frames)
    return tuple(frames), tuple(padded)


def _no_audio_data(frame: bytes | bytearray, sample_rate: int) -> bool:
    """Whether every granule of a mono frame has a part2_3_length of zero (all its bytes are ancillary)."""
    side = int.from_bytes(frame[4:21] if is_mpeg1(sample_rate) else frame[4:13], "big")
    bits = 17 * 8 if is_mpeg1(sample_rate) else 9 * 8
    starts = (18, 77) if is_mpeg1(sample_rate) else (9,)
    return all((side >> (bits - start - 12)) & 0xFFF == 0 for start in starts)


class Mp3Stream:
    """An MP3 file put together from parts encoded apart, with LAME's Info frame first.

    Each part is whole frames from ``encode_part`` (here or in another process,
    joined by ``seams``) or stretches of digital silence, which are copied from
    frames encoded once instead of being encoded again.
    """

    def __init__(self, handle: BinaryIO, sample_rate: int, bitrate: int):
        self.handle, self.sample_rate, self.bitrate = handle, sample_rate, bitrate
        self.start = handle.tell()
        self.tag_size = frame_bytes(sample_rate, bitrate)
        handle.write(bytes(self.tag_size))
        self.frames = self.samples = 0

    def add(self, frames: int, samples: int) -> None:
        """Count ``frames`` holding ``samples`` just written to the handle (by ``encode_part`` or ``seams``)."""
        self.frames += frames
        self.samples += samples

    def silence(self, frames: int) -> None:
        """Append ``frames`` frames of digital silence, padded to put the stream back on LAME's pattern."""
        plain, padded = _silent_frames(self.sample_rate, self.bitrate)
        written = self.handle.tell() - self.start - self.tag_size
        base = frame_bytes(self.sample_rate, self.bitrate)
        first, pads = self.frames, []
        # A part encoded apart may have left the stream a byte off: pad (or not) frame by frame to get back.
        while len(pads) < frames and written != self.expected_bytes(first + len(pads)):
            pads.append(self.expected_bytes(first + len(pads) + 1) - written > base)
            written += base + pads[-1]
        # Back on the pattern, a frame is padded where one continuous stream pads it.
        ends = np.arange(first + len(pads), first + frames + 1, dtype=np.int64)
        pads += np.diff(self._padded_frames(ends)).astype(bool).tolist()
        self.handle.write(
            b"".join(padded[n % SILENT_RUN] if pad else plain[n % SILENT_RUN] for n, pad in enumerate(pads))
        )
        self.add(frames, frames * frame_samples(self.sample_rate))

    def expected_bytes(self, frames: int) -> int:
        """Bytes in the first ``frames`` audio frames of one continuous CBR stream at this rate and bitrate."""
        return frames * frame_bytes(self.sample_rate, self.bitrate) + int(self._padded_frames(np.int64(frames)))

    def _padded_frames(self, frames: np.ndarray) -> np.ndarray:
        """How many of the first ``frames`` frames one continuous stream pads."""
        rate = self.sample_rate
        fraction = (144_000 if is_mpeg1(rate) else 72_000) * self.bitrate % rate
        # LAME pads frame g (from 0) when ((1 - g) * fraction) mod rate < fraction: never the first.
        return np.where(frames > 0, -(-(frames - 1) * fraction // rate), 0)

    def close(self) -> int:
        """Fill in the Info frame; returns the number of samples in the stream."""
        end = self.handle.tell()
        self.handle.seek(self.start + self.tag_size)
        first = self.handle.read(4)
        music_crc = crc16(first)
        while block := self.handle.read(1 << 22):
            music_crc = crc16(block, music_crc)
        total = end - self.start
        self.handle.seek(self.start)
        self.handle.write(
            info_frame(first, self.frames, total, self.samples, self.sample_rate, self.bitrate, QUALITY, music_crc)
        )
        self.handle.seek(end)
        return self.samples
