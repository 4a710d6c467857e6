"""Parts joined at seams inside sound (under a bed): as clean as one stream, exact in length in two decoders."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from routinecast.formats import frame_samples
from routinecast.model import Background
from routinecast.script.timeline import Event, Timeline
from routinecast.write import encoder
from routinecast.write.seams import Joiner, main_data_begin
from routinecast.write.segments import TAIL
from tests.support import decoders
from tests.support.parts import encode_in_parts


def sound(rate: int, seconds: int) -> tuple[np.ndarray, Timeline]:
    """Noise with a tone that comes and goes, never silent: a timeline with a bed, one long sound event."""
    n = seconds * rate + 777
    t = np.arange(n) / rate
    noise = 0.05 * np.random.default_rng(1).standard_normal(n)
    pcm = (noise + 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 0.3 * t) > 0)).astype(np.float32)
    return pcm, Timeline("T", rate, (Event("speech", 0, n, "s", source="x"),), (), (), Background())


def join_errors(tmp_path, rate: int, kbps: int) -> list[float]:
    """Around each seam, the RMS error of the parts' encode over that of one stream's, decoded by libmpg123.

    Also checks that both decoders give exactly the samples encoded.
    """
    pcm, timeline = sound(rate, 95)
    frame = frame_samples(rate)
    _, parts = encode_in_parts(tmp_path / "parts.mp3", pcm, timeline, kbps)
    assert [p.seam for p in parts] == [False, True, True, True]
    encoder.encode(tmp_path / "one.mp3", [pcm], rate, "mp3", kbps, {})
    joined, one = (soundfile.read(str(tmp_path / name), dtype="float32")[0] for name in ("parts.mp3", "one.mp3"))
    assert len(joined) == len(decoders.decode(tmp_path / "parts.mp3")) == len(one) == len(pcm)
    ratios = []
    for part in parts[1:]:  # the join is within TAIL frames of the seam
        near = slice(part.start - 2 * frame, part.start + (TAIL + 2) * frame)
        ratios.append(float(np.sqrt(np.mean((joined[near] - pcm[near]) ** 2) / np.mean((one[near] - pcm[near]) ** 2))))
    return ratios


@pytest.mark.parametrize("rate, kbps", [(44100, 64), (22050, 64), (24000, 48), (48000, 128), (8000, 8)])
def test_seams_are_as_clean_as_one_stream(tmp_path, rate, kbps):
    ratios = join_errors(tmp_path, rate, kbps)
    assert all(r < 1.1 for r in ratios), ratios


def test_without_the_reservoir_bytes_the_joins_would_break(tmp_path, monkeypatch):
    # What the graft is for: leave it out, and the frame after a join decodes from the wrong bytes.
    monkeypatch.setattr(Joiner, "_graft", lambda *args: None)
    assert max(join_errors(tmp_path, 48000, 128)) > 1.5


def test_main_data_begin_is_read_from_the_side_info():
    mpeg1 = bytes([0xFF, 0xFB, 0x50, 0xC4, 0b10110011, 0b10000000])  # 9 bits: 0b101100111
    mpeg2 = bytes([0xFF, 0xF3, 0x50, 0xC4, 0b10110011, 0b10000000])  # 8 bits
    assert (main_data_begin(mpeg1, 44100), main_data_begin(mpeg2, 22050)) == (359, 179)
    with pytest.raises(RuntimeError, match="CRC"):
        main_data_begin(bytes([0xFF, 0xFA, 0x50, 0xC4, 0, 0]), 44100)


def test_a_seam_with_no_frame_to_join_at_is_encoded_again_as_one_part(tmp_path, monkeypatch):
    # No frame qualifies: the two parts are encoded as one, which carries on from the first one's frames.
    monkeypatch.setattr(Joiner, "_join", lambda *args: None)
    rate = 44100
    pcm, timeline = sound(rate, 95)
    stream, parts = encode_in_parts(tmp_path / "parts.mp3", pcm, timeline, 64)
    encoder.encode(tmp_path / "one.mp3", [pcm], rate, "mp3", 64, {})
    # Every seam was encoded again, so the file is one stream: the same bytes as encoding it in one go.
    assert (tmp_path / "parts.mp3").read_bytes() == (tmp_path / "one.mp3").read_bytes()
    assert len(decoders.decode(tmp_path / "parts.mp3")) == len(pcm)
