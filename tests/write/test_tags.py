"""Tags in WAV files: libsndfile's LIST/INFO chunk, read back by libsndfile and by exiftool."""

from __future__ import annotations

import json
import shutil
import subprocess

import soundfile

from routinecast import build
from routinecast.version import __version__

TAGGED = """
title: Constructive rest é
author: A. Teacher
description: Lie on your back, knees bent.
tags: {track: 3/12, year: 2026, genre: Health}
output: {album: Floor work}
steps:
  - say: Hello.
"""


def test_wav_carries_title_artist_and_the_rest(write, fake, tmp_path):
    out = tmp_path / "s.wav"
    build(write(TAGGED), out, settings=fake)
    info = soundfile.SoundFile(str(out))
    read = {f: getattr(info, f) for f in ("title", "artist", "album", "genre", "tracknumber", "date", "comment")}
    assert read == {
        "title": "Constructive rest é",
        "artist": "A. Teacher",
        "album": "Floor work",
        "genre": "Health",
        "tracknumber": "3/12",
        "date": "2026",
        "comment": "Lie on your back, knees bent.",
    }
    if shutil.which("exiftool"):  # an independent reader of RIFF INFO (installed by .ci/run)
        done = subprocess.run(["exiftool", "-j", "-charset", "RIFF=UTF8", str(out)], capture_output=True, check=True)
        tags = json.loads(done.stdout)[0]
        assert (tags["Title"], tags["Artist"], tags["Product"], tags["Genre"]) == (
            "Constructive rest é",
            "A. Teacher",
            "Floor work",
            "Health",
        )
        assert tags["Software"].startswith(f"routinecast {__version__}")
