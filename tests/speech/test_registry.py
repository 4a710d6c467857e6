"""Engines are plug-ins: found through the ``routinecast.engines`` entry points, built-in ones included."""

from __future__ import annotations

import pytest

from routinecast import EngineError, RoutineError, build
from routinecast.cli import main
from routinecast.speech.engines import open_engine, registered

ECHO = '''
from routinecast.speech.engines.fake import FakeEngine


class EchoEngine(FakeEngine):
    """A third party's engine: the fake tone, under another name."""

    name = "echo"

    def __init__(self, jobs=None, timeout=60.0):
        super().__init__(jobs, timeout)
        self.opened_with = (jobs, timeout)

    def identity(self, voice=None):
        return "echo-1"
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """An installed distribution of its own (a .dist-info with entry points) that registers two engines."""
    (tmp_path / "echo_engine.py").write_text(ECHO)
    info = tmp_path / "routinecast_echo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: routinecast-echo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[routinecast.engines]\necho = echo_engine:EchoEngine\nbroken = echo_engine:NoSuchEngine\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_built_in_engines_register_through_the_same_door():
    engines = registered()
    assert {"pyttsx3", "piper", "fake"} <= set(engines)
    assert engines["pyttsx3"].value == "routinecast.speech.engines.pyttsx3_engine:Pyttsx3Engine"


def test_a_plugged_in_engine_builds_a_routine(plugin, write, tmp_path):
    assert "echo" in registered()
    with open_engine("echo", jobs=3, timeout=7.0) as engine:
        assert (engine.name, engine.opened_with) == ("echo", (3, 7.0))
    path = write("title: T\nsteps:\n  - say: Hello from a plug-in.\n")
    code = main(
        ["build", str(path), "-o", str(tmp_path / "e.mp3"), "--engine", "echo", "--cache-dir", str(tmp_path / "c")]
    )
    assert code == 0 and (tmp_path / "e.mp3").stat().st_size > 1000


def test_unknown_and_broken_engines_are_one_line(plugin):
    with pytest.raises(RoutineError) as info:
        open_engine("espeak")
    assert info.value.lines() == ["unknown engine 'espeak'; choose one of: broken, echo, fake, piper, pyttsx3"]
    with pytest.raises(EngineError) as broken:
        open_engine("broken")
    assert broken.value.lines() == [
        "engine 'broken' (echo_engine:NoSuchEngine) cannot be loaded: AttributeError: module 'echo_engine' has "
        "no attribute 'NoSuchEngine'; reinstall the package that provides it"
    ]


def test_the_library_takes_any_registered_name(plugin, write, tmp_path, fake):
    import dataclasses

    result = build(
        write("title: T\nsteps:\n  - say: Hi.\n"), tmp_path / "x.mp3", settings=dataclasses.replace(fake, engine="echo")
    )
    assert result.timeline.length > 0
