"""A deterministic stand-in engine for fast tests of timing logic; it is never the default."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..engine import DEFAULT_TIMEOUT_S, VoiceInfo, VoiceSpec

RATE = 22050


class FakeEngine:
    """Speaks every text as a 220 Hz tone lasting 60 ms per character (at speed 1.0), framed by 50 ms of silence."""

    name = "fake"

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        # ``jobs`` and ``timeout`` are what every engine is opened with; a tone needs neither.
        self.calls: list[str] = []
        """Every text synthesized, in order: tests count engine calls with it."""

    def __enter__(self) -> FakeEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self, voice: str | None = None) -> str:
        """Fixed: the fake never changes."""
        return "fake-1"

    def voices(self) -> list[VoiceInfo]:
        """Two voices, enough to test voice resolution."""
        source, terms = "a tone made by routinecast, for tests", "no voice data"
        return [
            VoiceInfo("fake/en-us", "Fake English", ("en-us",), source, terms),
            VoiceInfo("fake/de", "Fake German", ("de",), source, terms),
        ]

    def synthesize(self, texts: list[str], voice: VoiceSpec) -> Iterator[tuple[str, np.ndarray, int]]:
        """A tone per text whose length depends only on the text's length and the speed."""
        for text in texts:
            self.calls.append(text)
            n = round(len(text) * RATE * 60 / 1000 / voice.speed)
            tone = (8000 * np.sin(2 * np.pi * 220 * np.arange(n) / RATE)).astype(np.int16)
            pad = np.zeros(RATE // 20, dtype=np.int16)
            yield text, np.concatenate([pad, tone, pad]), RATE

    def close(self) -> None:
        """Nothing to release."""
