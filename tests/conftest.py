"""Shared fixtures: routine files in a temporary folder, and builds with the fake or the real engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from routinecast import Settings
from routinecast.speech.engines.fake import FakeEngine
from tests.support.routines import EVERY_KIND, SCRIPTS


@pytest.fixture
def write(tmp_path: Path):
    """Write a routine (dedented YAML) into tmp_path and return its path."""

    def _write(text: str, name: str = "routine.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def fake(tmp_path: Path) -> Settings:
    """Build settings with the deterministic fake engine, a private cache and no helper processes (fast)."""
    return Settings(engine="fake", cache_dir=tmp_path / "cache", jobs=1)


@pytest.fixture(scope="session", autouse=True)
def real_cache(tmp_path_factory) -> Path:
    """One speech cache shared by the real-engine tests of a run; also the default cache, so no test
    writes into the user's own."""
    path = tmp_path_factory.mktemp("real-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROUTINECAST_CACHE", str(path))
        yield path


@pytest.fixture(scope="session", autouse=True)
def espeak_by_default(tmp_path_factory):
    """Routines that name no engine speak with pyttsx3 (espeak-ng), as where the piper extra is not
    installed: the timings tests assert are espeak-ng's, and the Piper tests name their engine. Piper
    voices come from installed packages only, never from the user's voices folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROUTINECAST_ENGINE", "pyttsx3")
        patch.setenv("ROUTINECAST_PIPER_VOICES", str(tmp_path_factory.mktemp("no-piper-voices")))
        yield


@pytest.fixture(scope="session")
def every_kind(tmp_path_factory, real_cache):
    """A real-engine build of a routine using every step kind: (folder, result, timeline dict)."""
    import json

    import numpy as np
    import soundfile

    from routinecast import build

    folder = tmp_path_factory.mktemp("every-kind")
    rate = 48000
    t = np.arange(int(0.6 * rate)) / rate
    chime = 0.3 * np.sin(2 * np.pi * 880 * t) * np.exp(-t * 5)
    soundfile.write(folder / "chime.wav", np.stack([chime, chime], axis=1), rate)  # stereo, 48 kHz on purpose
    routine = folder / "every.yaml"
    routine.write_text(EVERY_KIND.lstrip(), encoding="utf-8")
    result = build(
        routine,
        folder / "every.mp3",
        timeline_path=folder / "every.json",
        transcript_path=folder / "every.vtt",
        settings=Settings(cache_dir=real_cache),
    )
    return folder, result, json.loads((folder / "every.json").read_text())


SHIPPED_BUILDS = [(script, engine) for engine in ("pyttsx3", "piper") for script in SCRIPTS]
"""Every shipped routine with each real engine."""


@pytest.fixture(scope="session", params=SHIPPED_BUILDS, ids=[f"{s.stem}-{e}" for s, e in SHIPPED_BUILDS])
def shipped(request, tmp_path_factory, real_cache):
    """A shipped routine built as users get it, with espeak-ng (pyttsx3) and with Piper, and (if it has
    a bed) once more without the bed.

    Returns (script, full mp3, timeline dict, foreground-only mp3).
    """
    import json

    from routinecast import build, load_routine

    script, engine = request.param
    folder = tmp_path_factory.mktemp(f"{script.stem}-{engine}")
    settings = Settings(engine=engine, cache_dir=real_cache)
    build(script, folder / "full.mp3", timeline_path=folder / "full.json", settings=settings)
    timeline = json.loads((folder / "full.json").read_text())
    foreground = folder / "full.mp3"
    if load_routine(script).background:
        foreground = folder / "foreground.mp3"
        build(
            script,
            foreground,
            timeline_path=folder / "foreground.json",
            settings=Settings(engine=engine, cache_dir=real_cache, background=False),
        )
        # Leaving the bed out changes nothing else: the same events at the same samples.
        without_bed = {key: value for key, value in timeline.items() if key != "background"}
        assert json.loads((folder / "foreground.json").read_text()) == without_bed
    return script, folder / "full.mp3", timeline, foreground


@pytest.fixture
def spoken(monkeypatch):
    """Every text the fake engine is asked to speak, across builds."""
    said: list[str] = []
    original = FakeEngine.synthesize

    def recording(self, texts, voice):
        said.extend(texts)
        yield from original(self, texts, voice)

    monkeypatch.setattr(FakeEngine, "synthesize", recording)
    return said
