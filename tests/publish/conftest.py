"""The shipped routines published once (real espeak-ng speech), for the site, feed and browser tests."""

from __future__ import annotations

import pytest

from routinecast.publishing import publish
from routinecast.settings import Settings
from tests.support.routines import SCRIPTS

BASE = "https://example.org/sessions/"


@pytest.fixture(scope="session")
def site(tmp_path_factory, real_cache):
    """(folder, Site) of ``routinecast publish FOLDER scripts/*.yaml --base-url BASE``."""
    folder = tmp_path_factory.mktemp("site")
    return folder, publish(folder, SCRIPTS, base=BASE, settings=Settings(cache_dir=real_cache))
