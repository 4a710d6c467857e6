"""Joining parts encoded apart into one MP3 stream, at silence cuts and at seams inside sound.

At a cut in digital silence (``segments``) the frames of two parts simply
follow one another. Where there is no silence to cut in (under a background
bed), the parts overlap instead: the part after a seam is encoded from
``LEAD`` frames earlier, so its encoder has warmed up on the same audio by
the seam, and the part before it runs ``TAIL`` frames past it, so its last
frames saw what follows. Both then hold frames for the same stretch; the
stream takes the first part's up to a join frame and the second's from it.

One thing stands in the way of a clean join: the bit reservoir. A frame's
audio data may begin up to 511 bytes back, in the frames before it
(``main_data_begin``), and at the join those are the other encoder's frames.
So the join is made at a frame whose reservoir bytes fit into the bytes the
first part left unused at the same place (its own next frame's
``main_data_begin``: bytes no earlier frame of it uses), and those bytes are
copied over. Every frame then decodes as its own encoder made it: the join
is as clean as a cut in one stream, however loud the bed. Where no frame
near the seam allows that (the two reservoirs can stay apart through a
long, dense passage), the two parts are encoded again as one, in this
process: its frames are the first part's frames, byte for byte, up to the
held ones, so it simply carries on from them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from ..formats import frame_samples, is_mpeg1, side_info_bytes
from .mp3 import Mp3Stream, frame_sizes
from .segments import LEAD, TAIL, Part

HOLD = 8
"""Frames kept back before a seam: more than the reservoir's 511 bytes reach at any bitrate allowed."""


def main_data_begin(frame: bytes | bytearray, sample_rate: int) -> int:
    """How many bytes before ``frame`` its audio data begins (a mono frame without CRC)."""
    if not frame[1] & 1:
        raise RuntimeError("the MP3 encoder wrote a frame with a CRC")
    if is_mpeg1(sample_rate):
        return frame[4] << 1 | frame[5] >> 7
    return frame[4]


class Joiner:
    """Appends each part's frames to ``stream`` in order, joining at silence cuts and seams.

    ``encode(begin, end)`` gives the MP3 frames of a fresh encoder for those samples of the
    session, for the rare seam that must be encoded again as one part.
    """

    def __init__(self, stream: Mp3Stream, parts: list[Part], encode: Callable[[int, int], bytes]):
        self.stream, self.parts, self.encode = stream, parts, encode
        self.rate = stream.sample_rate
        self.frame = frame_samples(self.rate)
        self.held: list[bytearray] = []  # the frames of the part before a seam, from session frame held_at
        self.held_at = 0
        self.held_begin = 0  # the first sample that part's encoder was given

    def span(self, index: int) -> tuple[int, int]:
        """The samples to encode for part ``index``: itself, with the overlap its seams need."""
        part = self.parts[index]
        nxt = self.parts[index + 1] if index + 1 < len(self.parts) else None
        begin = part.start - LEAD * self.frame if part.seam else part.start
        end = part.end + TAIL * self.frame if nxt and nxt.seam else part.end
        return max(0, begin), min(end, self.parts[-1].end)

    def add(self, index: int, source: BinaryIO) -> None:
        """Append part ``index``, whose encoder's frames (all of them, for ``span(index)``) ``source`` holds."""
        part = self.parts[index]
        begin, end = self.span(index)
        frames, first = _frames(source.read()), begin // self.frame  # first: the session frame of frames[0]
        if part.seam:
            join = self._join(frames, first, part.start // self.frame)
            if join is None:  # encoded again from where the held part's encoder began
                frames, first, begin = self._again(end), self.held_at, self.held_begin
            else:
                self._write(self.held[: join - self.held_at])
                frames, first = frames[join - first :], join
        last = index + 1 == len(self.parts)
        nxt = None if last else self.parts[index + 1]
        if nxt is not None and nxt.seam:
            keep = nxt.start // self.frame - HOLD - first
            self._write(frames[:keep])
            self.held, self.held_at, self.held_begin = frames[keep:], first + keep, begin
        elif last:  # its last frame holds LAME's padding, not a whole frame of the session
            self._write(frames, part.end - first * self.frame)
        else:
            self._write(frames[: part.end // self.frame - first])

    def _write(self, frames: list[bytearray], samples: int | None = None) -> None:
        """Append ``frames``, holding ``samples`` of the session (by default, a whole frame's each)."""
        self.stream.handle.write(b"".join(frames))
        self.stream.add(len(frames), len(frames) * self.frame if samples is None else samples)

    def _join(self, frames: list[bytearray], first: int, seam: int) -> int | None:
        """The session frame where ``frames`` (from session frame ``first``) take over from the held ones,
        if there is one; its reservoir bytes are then copied into the held frames' unused bytes before it.
        """
        for join in range(seam, seam + TAIL - 2):
            before, after = self.held[join - self.held_at], frames[join - first]
            room, need = main_data_begin(before, self.rate), main_data_begin(after, self.rate)
            if need <= room:
                self._graft(self.held[: join - self.held_at], frames[: join - first], need)
                return join
        return None

    def _again(self, end: int) -> list[bytearray]:
        """The held part and the next one, to sample ``end``, encoded as one: its frames from the held ones on."""
        frames = _frames(self.encode(self.held_begin, end))[self.held_at - self.held_begin // self.frame :]
        if frames[:HOLD] != self.held[:HOLD]:
            raise RuntimeError("the MP3 encoder made different frames for the same samples")
        return frames

    def _graft(self, into: list[bytearray], source: list[bytearray], count: int) -> None:
        """Copy the last ``count`` audio-data bytes of ``source``'s frames over those of ``into``'s."""
        skip = 4 + side_info_bytes(self.rate)
        for frames in (into, source):
            if sum(len(f) - skip for f in frames) < count:
                raise RuntimeError("too few frames before a seam for the bit reservoir")
        i, j = len(into) - 1, len(source) - 1
        a, b = len(into[i]), len(source[j])
        for _ in range(count):
            while a == skip:
                i -= 1
                a = len(into[i])
            while b == skip:
                j -= 1
                b = len(source[j])
            a, b = a - 1, b - 1
            into[i][a] = source[j][b]


def _frames(data: bytes) -> list[bytearray]:
    """The frames in ``data``, each a bytearray (the joins may change their bytes)."""
    frames, at = [], 0
    for size in frame_sizes(data):
        frames.append(bytearray(data[at : at + size]))
        at += size
    return frames
