"""Every rule an output file follows, in one place: formats, MPEG rates and bitrates, loudness, length.

The routine validator and the command-line overrides both check values with
the functions here, so a rule cannot drift apart between the two.
"""

from __future__ import annotations

FORMATS = ("mp3", "wav")
"""Audio formats routinecast writes."""
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""Sample rates MP3 allows (MPEG-2.5, MPEG-2 and MPEG-1, in that order)."""
MPEG1_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""Layer III bitrates (kbit/s) at 32 kHz and above."""
MPEG2_BITRATES = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
"""Layer III bitrates (kbit/s) below 32 kHz."""
LOUDNESS_RANGE = (-36.0, -6.0)
"""Loudness targets (LUFS) a session may ask for."""
MAX_SESSION_MS = 12 * 3_600_000
"""The longest session routinecast builds."""
FFMPEG_SUFFIXES = (".m4a", ".aac", ".webm")
"""Audio files libsndfile cannot read, decoded through pydub by an ffmpeg on PATH."""
SOUND_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif", *FFMPEG_SUFFIXES)
"""Audio files a routine may use as sounds or a background bed."""
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
"""Cover images."""


def is_mpeg1(sample_rate: int) -> bool:
    """Whether MP3 at ``sample_rate`` is MPEG-1 (32 kHz and up) rather than MPEG-2 or 2.5."""
    return sample_rate >= 32000


def side_info_bytes(sample_rate: int) -> int:
    """Bytes of Layer III side information in a mono frame."""
    return 17 if is_mpeg1(sample_rate) else 9


def frame_bytes(sample_rate: int, bitrate: int) -> int:
    """Bytes in an unpadded CBR frame (a padded one has one more)."""
    return (144_000 if is_mpeg1(sample_rate) else 72_000) * bitrate // sample_rate


GAPLESS_TAG_BYTES = 4 + 4 + 4 + 4 + 4 + 36
"""LAME's Info tag without its seek table: "Info", flags, frames, bytes, quality, the LAME part.

It carries the encoder delay and padding that gapless decoders need, so a
bitrate is offered only where its frames can hold it.
"""


MPEG25_MAX_BITRATE = 64
"""LAME encodes MPEG-2.5 (8, 11.025 and 12 kHz) at no more than this, whatever it is asked for."""


def bitrates(sample_rate: int) -> tuple[int, ...]:
    """The MP3 bitrates allowed at ``sample_rate``: those LAME encodes as asked, with room for the gapless tag."""
    table = MPEG1_BITRATES if is_mpeg1(sample_rate) else MPEG2_BITRATES
    if sample_rate < 16000:
        table = tuple(kbps for kbps in table if kbps <= MPEG25_MAX_BITRATE)
    room = GAPLESS_TAG_BYTES + 4 + side_info_bytes(sample_rate)
    return tuple(kbps for kbps in table if frame_bytes(sample_rate, kbps) >= room)


def frame_samples(sample_rate: int) -> int:
    """Samples per MP3 frame: 1152 for MPEG-1, 576 below."""
    return 1152 if is_mpeg1(sample_rate) else 576


def sample_rate_problem(rate: int) -> str | None:
    """Why ``rate`` is not an output sample rate (to follow the option's name), or ``None``."""
    if rate in MP3_RATES:
        return None
    return f"must be one of {', '.join(map(str, MP3_RATES))}"


def bitrate_problem(bitrate: int, rate: int) -> str | None:
    """Why ``bitrate`` is not allowed at ``rate`` (to follow the option's name), or ``None``."""
    allowed = bitrates(rate)
    if bitrate in allowed:
        return None
    return f"at {rate} Hz must be one of {', '.join(map(str, allowed))}"


def loudness_problem(lufs: float) -> str | None:
    """Why ``lufs`` is not a loudness target (to follow the option's name), or ``None``."""
    low, high = LOUDNESS_RANGE
    if low <= lufs <= high:
        return None
    return f"must be between {low:g} and {high:g} LUFS"
