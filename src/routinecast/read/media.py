"""The files a routine names (cover image, sounds, background bed): what each is, checked before any work.

Each file is opened once, without blocking, and refused unless it is an
ordinary file (a pipe would block forever); a symbolic link loop or a folder is
named as such. The limits below are checked on what an audio header says,
before a sample is decoded; then floating-point or compressed audio, which can
hold NaN or be damaged past its header, is decoded once a block at a time. So
a file costs a few megabytes to check, and time in proportion to at most the
longest file allowed, and every problem is found before any speech is
synthesized. Files libsndfile cannot read (m4a, aac, webm) go to an ffmpeg on
the PATH: its reading of the header (bounded by a timeout) is checked first,
then the audio is decoded whole through pydub, within a bound of its own. The
later stages import these limits, never keep their own.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile

from ..formats import FFMPEG_SUFFIXES
from ..units import format_ms

MAX_COVER_BYTES = 10_000_000
"""Largest cover image. A 3000x3000 podcast cover is 1 to 3 MB as JPEG and rarely over 10 MB as PNG;
the whole tag is read by players before the audio starts, and mutagen holds it in memory twice."""
COVER_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
"""Leading bytes of the images ID3 players show (APIC), with their MIME type."""
AUDIO_RATES = (8000, 384000)
"""Lowest and highest sample rate of a sound or background file, in Hz: the MP3 range's floor to
studio rates. Outside it, resampling to the output rate turns a few samples into gigabytes."""
MAX_CHANNELS = 8
"""Most channels in a sound or background file (7.1 surround); they are mixed down to mono."""
MAX_AUDIO_SECONDS = 300
"""Longest sound or background file. A sound is levelled whole at the output rate, which takes about
seven times its decoded size at the peak (some 400 MB for 5 minutes at 48 kHz); a background loops,
so a longer one adds nothing but memory."""
MAX_SOUNDS_SECONDS = 600
"""Most audio all of a routine's sounds may add up to (each file at each gain counts once): the bank
keeps them all decoded (115 MB for 10 minutes at 48 kHz), in the building process and in each
encoding helper."""
MAX_FFMPEG_RATE = 2 * 96_000
"""Most samples a second (rate times channels) in a file read through ffmpeg (m4a, aac, webm): pydub holds it
decoded whole, about three times over at the peak (some 350 MB for 5 minutes at this rate). The formats
libsndfile reads are decoded a block at a time and need no such bound."""
FFMPEG_TIMEOUT_S = 10
"""Seconds ffmpeg may take to open a file and say what it holds (it takes some 50 ms)."""
SCAN_FRAMES = 65536
"""Frames read at a time when a file is scanned or decoded, so memory does not follow its length."""


class Unusable(Exception):
    """A named file cannot be used; the message follows "<what> file '<name>'" and says what to do."""


def inspect_image(path: Path) -> str:
    """The MIME type of the cover image at ``path``; raise :class:`Unusable` if it is not a usable one."""
    with _opened(path) as (handle, size):
        if size == 0:
            raise Unusable("is empty; use a PNG or JPEG image")
        if size > MAX_COVER_BYTES:
            raise Unusable(
                f"is {size / 1e6:.1f} MB, over the {MAX_COVER_BYTES // 1_000_000} MB limit for a cover; "
                "save a smaller PNG or JPEG (3000x3000 pixels is plenty)"
            )
        mime = image_mime(handle.read(16))
    if mime is None:
        raise Unusable("is not a PNG or JPEG image; save it as one (players show only these as covers)")
    return mime


def inspect_model(path: Path) -> int:
    """The sample rate of the Piper voice model at ``path``; raise :class:`Unusable` if it or its
    configuration (``.onnx.json`` beside it) cannot be used."""
    with _opened(path) as (handle, size):
        if size == 0:
            raise Unusable("is empty; use the .onnx file that came with the voice")
        head = handle.read(1)
    config = Path(f"{path}.json")
    try:
        if config.stat().st_size > 1_000_000:  # a voice's is some 5 kB; do not read a huge one whole
            raise ValueError("over 1 MB")
        settings = json.loads(config.read_text(encoding="utf-8"))
        if not settings["phoneme_id_map"]:
            raise ValueError("no phonemes")
        rate = int(settings["audio"]["sample_rate"])
    except FileNotFoundError:
        raise Unusable(f"has no configuration beside it; put the voice's {config.name} next to it") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Unusable(
            f"has an unreadable configuration {config.name} ({type(exc).__name__}); "
            "use the .onnx.json that came with the voice"
        ) from None
    # An ONNX model is a protocol buffer whose first field is its IR version: tag byte 0x08.
    if head != b"\x08":
        raise Unusable("is not an ONNX voice model; use the .onnx file that came with the voice")
    return rate


def image_mime(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from an image's first bytes, or ``None`` for anything else."""
    return next((mime for magic, mime in COVER_TYPES if head.startswith(magic)), None)


def inspect_audio(path: Path) -> float:
    """Seconds of audio in the sound file at ``path``; raise :class:`Unusable` if it breaks a limit."""
    with _opened(path) as (handle, size):
        if size == 0:
            raise Unusable("is empty; use a wav, flac, ogg or mp3 file with sound in it")
        if path.suffix.lower() in FFMPEG_SUFFIXES:
            samples, rate = decode_with_ffmpeg(path)
            return len(samples) / rate
        try:
            # By descriptor: libsndfile reads it natively (a Python file object would run its seeks through
            # callbacks that print tracebacks on a malformed file).
            with soundfile.SoundFile(handle.fileno(), closefd=False) as audio:
                problem = audio_problem(audio.samplerate, audio.channels, audio.frames)
                if problem:
                    raise Unusable(problem)
                # Plain integer PCM always decodes to finite samples; floating-point samples can be NaN or
                # infinite, and compressed data (FLAC too) can be damaged past a sound header: decode those once.
                if audio.format == "FLAC" or not audio.subtype.startswith("PCM_"):
                    _scan(audio)
                return audio.frames / audio.samplerate
        except soundfile.LibsndfileError as exc:
            raise Unusable(f"cannot be read as audio ({_reason(exc)}); use wav, flac, ogg or mp3") from None


def decode_with_ffmpeg(path: Path) -> tuple[np.ndarray, int]:
    """A file libsndfile cannot read (m4a, aac, webm), decoded by ffmpeg through pydub: mono float32 samples
    and their rate. Its limits are checked on what ffmpeg finds in its header first, then on what it decodes;
    at most a second past the longest allowed sound is ever decoded. Raises :class:`Unusable` without an
    ffmpeg on the PATH, or when the file cannot be read or breaks a limit."""
    if shutil.which("ffmpeg") is None:
        kind = path.suffix.lower().lstrip(".")
        article = "an" if kind[0] in "aefhilmnorsx" else "a"  # as the letters are said: an m4a, an aac, a webm
        raise Unusable(
            f"is {article} {kind} file, which needs ffmpeg to read; install ffmpeg (apt install ffmpeg) "
            "or convert it to wav, flac or ogg"
        )
    rate, channels, seconds, decoder = _probe(path)
    problem = audio_problem(rate, channels, max(round((seconds or 0) * rate), 1))
    if problem:
        raise Unusable(problem)
    if rate * channels > MAX_FFMPEG_RATE:
        raise Unusable(
            f"has {channels} channels at {rate} Hz, more than routinecast reads through ffmpeg "
            f"({MAX_FFMPEG_RATE} samples a second, stereo at {MAX_FFMPEG_RATE // 2000} kHz); "
            "mix it down, resample it, or convert it to flac"
        )
    with warnings.catch_warnings():  # pydub imports audioop, deprecated since Python 3.11
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
        from pydub.exceptions import CouldntDecodeError
    try:
        # The decoder is named, so pydub does not look for ffprobe (imageio-ffmpeg, for one, has none).
        segment = AudioSegment.from_file(os.path.abspath(path), codec=decoder, duration=MAX_AUDIO_SECONDS + 1)
    except CouldntDecodeError as exc:
        raise Unusable(f"is damaged ({_ffmpeg_reason(str(exc))}); export it again from your editor") from None
    width = segment.sample_width  # pydub gives 8-bit audio signed and 24-bit widened to 32
    samples = np.frombuffer(segment.raw_data, dtype=f"<i{width}").reshape(-1, segment.channels)
    if len(samples) > MAX_AUDIO_SECONDS * segment.frame_rate:  # a header that gave no length, or a short one
        raise Unusable(
            f"is over {MAX_AUDIO_SECONDS // 60} minutes long; trim it to at most {MAX_AUDIO_SECONDS // 60} minutes"
        )
    problem = audio_problem(segment.frame_rate, segment.channels, len(samples))
    if problem:
        raise Unusable(problem)
    mono = samples.mean(axis=1, dtype=np.float32)
    mono *= np.float32(1 / (1 << (8 * width - 1)))
    return mono, segment.frame_rate


def _probe(path: Path) -> tuple[int, int, float | None, str]:
    """What ffmpeg finds in the audio stream it would decode: its rate, channels, seconds (``None`` where the
    file does not say) and decoder. Asked of ffmpeg itself, as ffprobe is not always beside it: the stream's
    first WAV header, with no samples, gives its rate and channels exactly."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-i", os.path.abspath(path), "-vn", "-t", "0", "-f", "wav", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Unusable(
            f"was not opened by ffmpeg within {FFMPEG_TIMEOUT_S:g} seconds; convert it to wav or flac"
        ) from None
    text = done.stderr.decode("utf-8", "replace")
    if "Input #0" in text and not re.search(r"Stream #0:\d+\S*: Audio:", text):
        raise Unusable("has no sound in it (no audio stream); use a file with sound in it")
    mapping = re.search(r"Stream #0:\d+ -> #0:0 \((\w+) \((\w+)\)", text)
    fmt = done.stdout.find(b"fmt ")
    if done.returncode != 0 or mapping is None or fmt < 0 or len(done.stdout) < fmt + 16:
        raise Unusable(f"cannot be read as audio ({_ffmpeg_reason(text)}); use wav, flac, ogg or mp3")
    channels, rate = struct.unpack_from("<HI", done.stdout, fmt + 10)
    length = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", text)
    seconds = None if length is None else int(length[1]) * 3600 + int(length[2]) * 60 + float(length[3])
    codec, implementation = mapping.groups()
    return rate, channels, seconds, codec if implementation == "native" else implementation


def _ffmpeg_reason(text: str) -> str:
    """ffmpeg's last word on a failure, as a lower-case phrase (its last line, after any file name)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reason = lines[-1].rsplit(": ", 1)[-1].rstrip(".") if lines else "no reason given"
    return (reason[:1].lower() + reason[1:])[:100]


def audio_problem(rate: int, channels: int, frames: int) -> str | None:
    """What is wrong with audio of this shape, to follow "<what> file '<name>'", or ``None``."""
    low, high = AUDIO_RATES
    if frames <= 0:
        return "has no audio in it (0 samples); use a file with sound in it"
    if not low <= rate <= high:
        return f"has a sample rate of {rate} Hz; resample it to between {low} and {high} Hz (44100 is usual)"
    if channels > MAX_CHANNELS:
        return f"has {channels} channels; mix it down to at most {MAX_CHANNELS} (mono or stereo is best)"
    if frames > MAX_AUDIO_SECONDS * rate:
        return f"is {format_ms(frames * 1000 // rate)} long; trim it to at most {MAX_AUDIO_SECONDS // 60} minutes"
    return None


def _scan(audio: soundfile.SoundFile) -> None:
    done = 0
    try:
        for block in audio.blocks(SCAN_FRAMES, dtype="float32", always_2d=True, frames=audio.frames):
            if not np.isfinite(block).all():
                at = done + int(np.argmin(np.isfinite(block).all(axis=1)))
                raise Unusable(
                    f"has a sample that is not a number (NaN or infinity), first at {at / audio.samplerate:.3f}s "
                    f"(sample {at}); export it again from your editor"
                )
            done += len(block)
    except soundfile.LibsndfileError as exc:
        raise Unusable(f"is damaged ({_reason(exc)}); export it again from your editor") from None


def _reason(exc: soundfile.LibsndfileError) -> str:
    return exc.error_string.strip().rstrip(".").lower().removeprefix("error : ")


@contextmanager
def _opened(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The file at ``path`` opened for reading, with its size, if it is a regular file that can be read.

    It is opened without blocking and checked on the open descriptor, so a pipe or
    a device (even one swapped in after a check by name) is refused, never read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # Windows has no O_NONBLOCK
    except OSError as exc:
        raise Unusable(_os_problem(exc)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unusable("is a folder; name an ordinary file")
        raise Unusable("is not an ordinary file (it is a pipe, socket or device); name an ordinary file")
    with os.fdopen(fd, "rb") as handle:
        yield handle, info.st_size


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself; point it at a real file"
    if exc.errno == errno.ENOENT:
        return "is a symbolic link to a file that does not exist; point it at a real file"
    if exc.errno == errno.EISDIR:
        return "is a folder; name an ordinary file"
    reason = (exc.strerror or "error").lower()
    return f"cannot be opened ({reason}); check that it exists and can be read"
