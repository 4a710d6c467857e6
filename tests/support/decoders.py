"""A second, independent decoder and meter for the tests: the ffmpeg binary from imageio-ffmpeg."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FFMPEG, "-hide_banner", "-nostats", *args], capture_output=True, timeout=600)


def decode(path: Path) -> np.ndarray:
    """Mono float32 samples as ffmpeg decodes them (honouring the encoder delay and padding)."""
    done = _run("-i", str(path), "-f", "f32le", "-ac", "1", "-")
    assert done.returncode == 0, done.stderr.decode()[-500:]
    return np.frombuffer(done.stdout, dtype="<f4")


def probe(path: Path) -> dict:
    """What ffmpeg's demuxer reports: the audio stream line, duration and chapters (as ffprobe would)."""
    text = _run("-i", str(path)).stderr.decode()
    h, m, s = re.search(r"Duration: (\d+):(\d+):(\d+\.\d+)", text).groups()
    stream = re.search(r"Stream #0:0: Audio: (.+)", text).group(1)
    chapters = [
        (title, round(float(start) * 1000, 3), round(float(end) * 1000, 3))  # ffmpeg prints seconds to 6 places
        for start, end, title in re.findall(
            r"Chapter #0:\d+: start (\S+), end (\S+)\n\s+Metadata:\n\s+title\s+: (.+)", text
        )
    ]
    return {"duration_ms": (int(h) * 3600 + int(m) * 60 + float(s)) * 1000, "stream": stream, "chapters": chapters}


def ebur128(path: Path) -> dict:
    """Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP) from ffmpeg's ebur128 filter."""
    text = _run("-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-").stderr.decode()
    summary = text[text.rindex("Summary:") :]
    value = lambda label: float(re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary).group(1))  # noqa: E731
    return {"I": value("I"), "LRA": value("LRA"), "TP": value("Peak")}
