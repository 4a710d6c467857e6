"""Files right in players that estimate: exiftool and MediaInfo read our MP3s' length right at every rate.

Both are Debian packages that `.ci/run` installs. They do not use the encoder
delay and padding: exiftool divides the size by the first frame's bitrate and
MediaInfo counts frames, so a tag frame at another bitrate or bytes lost at the
joins of parts encoded apart show up here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest

from routinecast import formats
from routinecast.script.timeline import Event, Timeline
from routinecast.write.lametag import ENCODER_DELAY
from tests.support.parts import encode_in_parts

MINUTES = 2.5
DECODER_DELAY = 529  # samples an MP3 decoder's filter bank lags behind, on top of the encoder delay
PLAYERS = ("exiftool", "mediainfo")
if not all(shutil.which(tool) for tool in PLAYERS) and not os.environ.get("CI"):
    pytest.skip("exiftool and mediainfo are not installed (apt-get install libimage-exiftool-perl mediainfo)",
                allow_module_level=True)  # fmt: skip

# Every rate at its lowest, the default and its highest bitrate.
CASES = [
    (rate, kbps)
    for rate in formats.MP3_RATES
    for kbps in sorted({*formats.bitrates(rate)[:: len(formats.bitrates(rate)) - 1], 64})
]


def session(rate: int) -> tuple[np.ndarray, Timeline]:
    """Tone bursts between silences long enough to cut in, as a built session would be."""
    events, pieces, at = [], [], 0
    while at < MINUTES * 60 * rate:
        for kind, n in (("speech", int(1.7 * rate)), ("silence", 13 * rate + 77)):
            events.append(Event(kind, at, n, "s", source=None if kind == "silence" else "x"))
            t = np.arange(n) / rate
            pieces.append(0.2 * np.sin(2 * np.pi * 300 * t) * np.hanning(n) if kind == "speech" else np.zeros(n))
            at += n
    return np.concatenate(pieces).astype(np.float32), Timeline("T", rate, tuple(events), (), ())


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Every case encoded the way long builds are: in parts, with copied frames of silence."""
    folder = tmp_path_factory.mktemp("players")
    out = {}
    for rate, kbps in CASES:
        pcm, timeline = session(rate)
        path = folder / f"{rate}-{kbps}.mp3"
        stream, parts = encode_in_parts(path, pcm, timeline, kbps)
        exact = formats.frame_bytes(rate, kbps) + stream.expected_bytes(stream.frames)
        out[(rate, kbps)] = path, len(pcm) * 1000 / rate, exact, len(parts)
    return out


def test_exiftool_and_mediainfo_durations_match_the_timeline(files):
    paths = [str(path) for path, *_ in files.values()]
    exif = json.loads(subprocess.run(["exiftool", "-j", "-n", "-Duration", *paths], capture_output=True,
                                     check=True, timeout=120).stdout)  # fmt: skip
    info = json.loads(subprocess.run(["mediainfo", "--Output=JSON", *paths], capture_output=True,
                                     check=True, timeout=120).stdout)  # fmt: skip
    exif_ms = {item["SourceFile"]: item["Duration"] * 1000 for item in exif}
    info_ms = {}
    for media in info:
        audio = next(track for track in media["media"]["track"] if track["@type"] == "Audio")
        assert audio["BitRate_Mode"] == "CBR", media["media"]["@ref"]
        info_ms[media["media"]["@ref"]] = float(audio["Duration"]) * 1000
    report = []
    for (rate, kbps), (path, duration, _, parts) in files.items():
        errors = (exif_ms[str(path)] - duration, info_ms[str(path)] - duration)
        report.append(f"{rate}/{kbps}: exiftool {errors[0]:+.0f} ms, MediaInfo {errors[1]:+.0f} ms ({parts} parts)")
    print("\n".join(report))
    for (rate, kbps), (path, duration, _, _) in files.items():
        # Neither tool takes off the encoder delay and padding, which gapless decoders remove: they
        # count frames (exiftool the tag frame too). LAME's padding is at least the decoder's 529-sample
        # delay, so the most they can be over is one frame more than that, plus the tag frame for exiftool.
        frame_ms = formats.frame_samples(rate) * 1000 / rate
        most = (ENCODER_DELAY + DECODER_DELAY) * 1000 / rate + frame_ms
        assert 0 <= info_ms[str(path)] - duration <= most, (rate, kbps, info_ms[str(path)], duration)
        assert 0 <= exif_ms[str(path)] - duration <= most + frame_ms + 1, (rate, kbps, exif_ms[str(path)], duration)
        if rate >= 22050:  # where a frame is short enough for that to stay within 100 ms
            assert max(info_ms[str(path)], exif_ms[str(path)]) - duration <= 100, (rate, kbps)


def test_size_is_that_of_one_continuous_cbr_stream(files):
    for (rate, kbps), (path, _, exact, parts) in files.items():
        assert parts > 3, (rate, kbps)  # really joined from parts
        assert abs(path.stat().st_size - exact) <= 2 * MINUTES, (rate, kbps, path.stat().st_size, exact)
