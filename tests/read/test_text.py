"""Text that reaches the engine or the tags: cleaned at read time, refused with a located reason, bounded."""

from __future__ import annotations

import json
import time

import pytest

from routinecast import RoutineError, Settings, build, load_routine
from routinecast.cli import main
from routinecast.read.lexicon import for_engine, merge, respell
from routinecast.read.text import MAX_LEXICON, MAX_TITLE, clean_text
from routinecast.script.expansion import expand

INVISIBLE = "has only invisible characters (such as zero-width spaces); write some words or remove it"
UNSPOKEN = "has nothing to speak, only punctuation or symbols; write some words or remove it"

# name: (routine text, expected stderr lines with {f} for the file name)
BAD = {
    "say of punctuation": (
        'title: T\nsteps:\n  - say: "..."\n  - say: "?!"\n  - say: Fine.\n',
        [f"{{f}}:3:10: 'say' {UNSPOKEN}", f"{{f}}:4:10: 'say' {UNSPOKEN}"],
    ),
    "say of zero-width characters": (
        'title: T\nsteps:\n  - say: "\\u200b\\u200d\\ufeff\\u2060"\n  - say: "\\u202e\\u00ad"\n',
        [f"{{f}}:3:10: 'say' {INVISIBLE}", f"{{f}}:4:10: 'say' {INVISIBLE}"],
    ),
    "say of whitespace": (
        'title: T\nsteps:\n  - say: " \\t "\n',
        ["{f}:3:10: 'say' is empty; write the text or remove it"],
    ),
    "hold lines and cue": (
        'title: T\nsteps:\n  - hold: 9s\n    say: "!"\n    cues: [{at: 2s, say: "--"}]\n    then: "\\u2060"\n',
        [f"{{f}}:4:10: 'say' {UNSPOKEN}", f"{{f}}:5:26: 'say' {UNSPOKEN}", f"{{f}}:6:11: 'then' {INVISIBLE}"],
    ),
    "cue words and number words": (
        'title: T\ncues: {halfway: "...", numbers: [one, "\\u200b"]}\nsteps:\n  - say: Fine.\n',
        [f"{{f}}:2:17: 'cues.halfway' {UNSPOKEN}", f"{{f}}:2:39: 'cues.numbers item' {INVISIBLE}"],
    ),
    "side names and switch": (
        'title: T\nsteps:\n  - sides: [left, "."]\n    switch: "?"\n    steps:\n      - say: "{side}."\n',
        [f"{{f}}:3:19: 'sides item' {UNSPOKEN}", f"{{f}}:4:13: 'switch' {UNSPOKEN}"],
    ),
    "respelling": (
        'title: T\nlexicon: {psoas: "--"}\nsteps:\n  - say: Fine.\n',
        [f"{{f}}:2:18: 'lexicon.psoas' {UNSPOKEN}"],
    ),
    "C1 control escape": (
        'title: T\nsteps:\n  - say: "Next\\x85line is fine, \\x9b is not."\n',
        ["{f}:3:10: escape \\x9b is a control character, not text; remove it"],
    ),
    "title too long": (
        f"title: {'t' * (MAX_TITLE + 1)}\nsteps:\n  - say: Fine.\n",
        [f"{{f}}:1:8: 'title' is {MAX_TITLE + 1} characters long, over the limit of {MAX_TITLE}; shorten it"],
    ),
    "names and description too long": (
        f"title: T\nauthor: {'a' * 101}\ndescription: {'d' * 2001}\noutput: {{album: {'b' * 101}}}\n"
        f"tags: {{genre: {'g' * 101}}}\nsteps:\n  - section: {'s' * 201}\n",
        [
            "{f}:2:9: 'author' is 101 characters long, over the limit of 100; shorten it",
            "{f}:3:14: 'description' is 2001 characters long, over the limit of 2000; shorten it",
            "{f}:4:17: 'output.album' is 101 characters long, over the limit of 100; shorten it",
            "{f}:5:15: 'tags.genre' is 101 characters long, over the limit of 100; shorten it",
            "{f}:7:14: 'section' is 201 characters long, over the limit of 200; shorten it",
        ],
    ),
    "title of invisible characters": (
        'title: "\\u200b"\nsteps:\n  - say: Fine.\n',
        [f"{{f}}:1:8: 'title' {INVISIBLE}"],
    ),
    "lexicon too big": (
        "title: T\nlexicon:\n" + "".join(f"  w{i}: wurd\n" for i in range(MAX_LEXICON + 1)) + "steps: [bell]\n",
        [
            f"{{f}}:3:3: lexicon has {MAX_LEXICON + 1} words, over the limit of 500; "
            "keep only the words this routine says"
        ],
    ),
    "lexicon word and respelling too long": (
        f"title: T\nlexicon:\n  {'w' * 101}: short\n  short: {'r' * 201}\nsteps: [bell]\n",
        [
            "{f}:3:3: 'lexicon word' is 101 characters long, over the limit of 100; shorten it",
            "{f}:4:10: 'lexicon.short' is 201 characters long, over the limit of 200; shorten it",
        ],
    ),
    "lexicon word twice": (
        "title: T\nlexicon:\n  Setu Bandha: a\n  SETU   bandha: b\n  ſtraße: c\n  STRASSE: d\nsteps: [bell]\n",
        [
            "{f}:4:3: lexicon word 'SETU bandha' is the same word as 'Setu Bandha' (line 3), ignoring case and spaces; "
            "keep one of them",
            "{f}:6:3: lexicon word 'STRASSE' is the same word as 'ſtraße' (line 5), ignoring case and spaces; "
            "keep one of them",
        ],
    ),
    "line too long after the lexicon": (
        f"title: T\nlexicon: {{a: {'ah-' * 33}ah}}\nsteps:\n  - say: {'a ' * 100}\n",
        [
            "{f}:4:5: line is 10199 characters long once placeholders are filled and the lexicon applied, "
            "over the limit of 10000; shorten it or split it into several"
        ],
    ),
    "line too long once placeholders are filled": (
        f'title: T\nsteps:\n  - sides: [{"x" * 100}]\n    steps:\n      - say: "{"{side} " * 100}"\n',
        [
            "{f}:5:9: line is 10099 characters long once placeholders are filled and the lexicon applied, "
            "over the limit of 10000; shorten it or split it into several"
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_text_gets_exact_lines(name, write, tmp_path, capsys):
    source, expected = BAD[name]
    path = write(source)
    assert main(["check", "--engine", "fake", "--cache-dir", str(tmp_path / "c"), str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line.format(f=path) for line in expected]
    assert captured.out == ""


def test_clean_text():
    assert clean_text("a\u200bb\u200d c\ufeff\u2060") == "ab c"
    assert clean_text("\u202eevil\u202c \u2066x\u2069 soft\u00adhyphen") == "evil x softhyphen"
    assert clean_text("cafe\u0301 e\u200d\u0301") == "caf\u00e9 \u00e9"  # joiners go before composing
    assert clean_text(" a\u00a0 \n\t b\u2028c\x85d ") == "a b c d"
    assert clean_text(" one \n\n two\u200b  three \n", lines=True) == "one\n\ntwo three"
    assert clean_text("İſ") == "İſ"


def test_engine_gets_clean_text_and_transcript_matches(write, tmp_path, fake, spoken):
    said = spoken
    path = write('title: "\\u202eT"\nsteps:\n  - say: "Hello\\u200b  world\\u202e,\\n cafe\\u0301 \\ufeffnow."\n')
    build(path, tmp_path / "out.mp3", timeline_path=tmp_path / "out.json", settings=fake)
    assert "Hello world, caf\u00e9 now." in said
    assert all(c.isprintable() for text in said for c in text)
    events = json.loads((tmp_path / "out.json").read_text())["events"]
    assert [e["text"] for e in events if e["kind"] == "speech"] == ["Hello world, caf\u00e9 now."]
    assert load_routine(path).title == "T"


DOTTED = """
title: İstanbul ſtretch
lexicon: {İstanbul: is-tan-bul, ſtraße: shtrasse, istanbul: plain-i}
steps:
  - section: İ and ſ
  - say: "İSTANBUL, istanbul, the pſoas on the STRASSE: a ſtretch with İ and ſ."
"""


def test_dotted_capital_i_and_long_s_build(write, tmp_path, fake):
    # Case-insensitive matching used to look up the lowercased match ("İ" lowercases to two characters,
    # "ſ" not to "s"), miss, and recurse until RecursionError.
    path = write(DOTTED)
    chapter, line = expand(load_routine(path))
    assert chapter.title == "İ and ſ"
    assert line.spoken == "is-tan-bul, plain-i, the soh-us on the shtrasse: a ſtretch with İ and ſ."
    result = build(path, tmp_path / "out.mp3", settings=fake)
    assert result.output.stat().st_size > 0


def test_cyclic_lexicon_is_applied_once_and_fast():
    lexicon = common({"a": "b", "b": "a", "psoas": "the psoas muscle", "c": "a b c"})
    assert respell("A b a. c psoas", lexicon) == "b a b. a b c the psoas muscle"
    worst = " ".join(["a b c"] * 2000)  # every word a match, 10,000 characters
    started = time.process_time()
    out = respell(worst, lexicon)
    assert time.process_time() - started < 1.0  # about 10 ms; linear, one pass
    assert out == " ".join(["b a a b c"] * 2000)


def test_lexicon_matches_whole_words_and_marks():
    lexicon = common({"x.net": "ex net", "dr.": "doctor", "c-section": "see section"})
    text = "x.net ax.net x.netz Dr. C-Section c - section setu\nbandha psoas_x PSOAS."
    expected = "ex net ax.net x.netz doctor see section c - section say-too bahn-dah psoas_x soh-us."
    assert respell(text, lexicon) == expected


def test_session_speech_is_bounded(write, monkeypatch):
    monkeypatch.setattr("routinecast.script.expansion.MAX_SESSION_SPOKEN", 1000)
    path = write("title: T\nsteps:\n  - repeat: 10000\n    steps:\n      - say: Round {round} of a long line.\n")
    with pytest.raises(RoutineError) as info:
        expand(load_routine(path))
    assert str(info.value) == (
        f"{path}:5:9: the session speaks over 1000 characters by this line, more than 12 hours of speech; "
        "shorten lines or reduce repeats"
    )


def test_real_engine_speaks_dotted_i_long_s_and_zero_width_space(write, tmp_path, real_cache):
    path = write('title: T\nsteps:\n  - say: "İstanbul\\u200b, a ſtretch."\n')
    result = build(
        path, tmp_path / "out.mp3", timeline_path=tmp_path / "out.json", settings=Settings(cache_dir=real_cache)
    )
    events = json.loads((tmp_path / "out.json").read_text())["events"]
    (speech,) = [e for e in events if e["kind"] == "speech"]
    assert speech["text"] == "İstanbul, a ſtretch."
    assert speech["end_ms"] - speech["start_ms"] > 500
    assert result.size > 0


def common(entries: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The built-in lexicon with ``entries`` for every engine, as an engine with no entries of its own gets it."""
    return for_engine(merge({word: {"": spelling} for word, spelling in entries.items()}), None)
