"""The MP3 writer: LAME frames plus our Info frame decode to exactly the samples written."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
from mutagen.mp3 import MP3, BitrateMode

from routinecast.formats import frame_samples
from routinecast.script.timeline import Event, Timeline
from routinecast.write import encoder
from routinecast.write.segments import ZEROS_AFTER, ZEROS_BEFORE
from tests.support import decoders
from tests.support.parts import encode_in_parts


@pytest.mark.parametrize(
    "rate, kbps",
    [(44100, 64), (48000, 128), (32000, 32), (22050, 64), (24000, 48), (16000, 32), (11025, 16), (8000, 8)],
)
def test_both_decoders_return_exactly_the_samples_written(tmp_path, rate, kbps):
    n = rate * 2 + 321  # not a whole number of frames
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
    path = tmp_path / "t.mp3"
    assert encoder.encode(path, [tone[:1000], tone[1000:]], rate, "mp3", kbps, {}) == n
    ours, got_rate = soundfile.read(str(path), dtype="float32")
    theirs = decoders.decode(path)
    assert (len(ours), len(theirs), got_rate) == (n, n, rate)
    # Same signal, in place: the encoder delay was removed, not just the length trimmed.
    assert np.corrcoef(ours[2000:-2000], tone[2000:-2000])[0, 1] > 0.99
    info = MP3(str(path)).info
    assert (info.sample_rate, info.bitrate_mode) == (rate, BitrateMode.CBR)
    assert abs(info.bitrate - kbps * 1000) <= kbps  # mutagen derives it from the Info byte count and length
    assert abs(decoders.probe(path)["duration_ms"] - n * 1000 / rate) < 60


def test_wav_clips_instead_of_wrapping(tmp_path):
    path = tmp_path / "t.wav"
    encoder.encode(path, [np.array([0.5, 1.5, -1.5], dtype=np.float32)], 8000, "wav", 64, {})
    data, _ = soundfile.read(str(path), dtype="int16")
    assert data.tolist() == [16384, 32767, -32768]


@pytest.mark.parametrize("rate, kbps", [(44100, 64), (48000, 128), (22050, 64), (8000, 8)])
def test_parts_encoded_apart_join_like_one_stream(tmp_path, rate, kbps):
    frame = frame_samples(rate)
    runs = [
        ("speech", rate // 2),
        ("silence", rate),
        ("speech", rate // 3),
        ("silence", 3 * rate),
        ("speech", rate // 4),
        ("silence", 1234),
    ]
    events, pieces, pos = [], [], 0
    for kind, n in runs:
        events.append(Event(kind, pos, n, "s", source=None if kind == "silence" else "x"))
        t = np.arange(n) / rate
        tone = 0.3 * np.sin(2 * np.pi * 440 * t) * np.hanning(n) if kind == "speech" else np.zeros(n)
        pieces.append(tone.astype(np.float32))
        pos += n
    pcm = np.concatenate(pieces)
    path = tmp_path / "parts.mp3"
    _, parts = encode_in_parts(path, pcm, Timeline("T", rate, tuple(events), (), ()), kbps)
    assert any(p.silent for p in parts) and not parts[-1].silent
    encoder.encode(tmp_path / "one.mp3", [pcm], rate, "mp3", kbps, {})
    joined, one = (soundfile.read(str(tmp_path / name), dtype="float32")[0] for name in ("parts.mp3", "one.mp3"))
    assert len(joined) == len(decoders.decode(path)) == len(one) == len(pcm)
    # The frames of silence follow one stream's padding: only the last sound part may be a byte off.
    assert abs(path.stat().st_size - (tmp_path / "one.mp3").stat().st_size) <= 1

    def snr(decoded):
        return 10 * np.log10(np.sum(pcm**2) / np.sum((decoded - pcm) ** 2))

    assert snr(joined) > snr(one) - 0.5 and snr(joined) > 10
    for part in parts[1:]:  # no click where parts meet: no more there than the one-stream encode has
        near = slice(part.start - ZEROS_BEFORE, part.start + ZEROS_AFTER)
        assert np.abs(joined[near]).max() <= np.abs(one[near]).max() + 0.02
    for part in parts:
        if part.silent:  # copied frames of silence are silence
            assert not joined[part.start + 2 * frame : part.end - 2 * frame].any()
