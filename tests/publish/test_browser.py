"""A session page in a real browser (headless Chromium): it plays, chapters seek, the transcript follows.

Opened both from file:// (where Chromium refuses to load a <track>, so the
page's own copy of the transcript becomes the track) and from a local web
server (where the WebVTT file is the track). A screenshot of the page is
saved to ``output/test-artifacts/`` (or ``$ROUTINECAST_ARTIFACTS``).
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

selenium = pytest.importorskip("selenium")  # noqa: F841  (installed by the test extra)
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("ROUTINECAST_ARTIFACTS", Path(__file__).parents[2] / "output" / "test-artifacts"))
PAGE = "desk-reset.html"  # the shortest shipped session
SEEK_TOLERANCE_S = 0.050
EDGE_MS = 500

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not os.environ.get("CI"), reason="Chromium and chromedriver are not installed"
)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--autoplay-policy=no-user-gesture-required",
        "--window-size=1000,1600",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


class Ranged(http.server.SimpleHTTPRequestHandler):
    """A static file server that answers byte-range requests, as every static host does (Python's does not):
    without them a browser cannot seek in the audio."""

    def send_head(self):
        ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not ranged or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start, end = int(ranged[1]), int(ranged[2] or size - 1)
        with open(path, "rb") as handle:
            handle.seek(start)
            body = handle.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    folder, _ = site
    handler = functools.partial(Ranged, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def open_page(driver, url: str) -> float:
    """Open ``url`` and wait for the player to know its length; returns it (seconds)."""
    driver.get(url)
    return driver.execute_async_script(
        "const audio = document.getElementById('player'), done = arguments[arguments.length - 1];"
        "if (audio.readyState > 0) done(audio.duration);"
        "else audio.addEventListener('loadedmetadata', () => done(audio.duration));"
    )


def play_chapters_and_follow(driver, timeline: dict) -> None:
    """Click each chapter after the first: the player seeks there, plays on, and the active transcript
    line is the cue being spoken."""
    driver.execute_script(
        "window.seeks = []; const audio = document.getElementById('player');"
        "audio.addEventListener('seeked', () => window.seeks.push(audio.currentTime));"
    )
    buttons = driver.find_elements(By.CSS_SELECTOR, ".chapters button")
    assert [b.text for b in buttons] == [c["title"] for c in timeline["chapters"]]
    for button, chapter in list(zip(buttons, timeline["chapters"]))[1:]:
        button.click()
        deadline = time.monotonic() + 10
        while not driver.execute_script("return window.seeks.length") and time.monotonic() < deadline:
            time.sleep(0.05)
        landed = driver.execute_script("return window.seeks.pop()")
        assert abs(landed - chapter["start_ms"] / 1000) <= SEEK_TOLERANCE_S
        driver.execute_script("window.seeks = []")
        checked = 0
        while checked < 3 and time.monotonic() < deadline:  # a few readings while it plays on
            now, active = driver.execute_script(
                "const line = document.querySelector('.transcript li.active');"
                "return [document.getElementById('player').currentTime,"
                " line && [Number(line.dataset.start), Number(line.dataset.end)]];"
            )
            # The page's cues are in whole milliseconds (the chapter it seeks to starts exactly on one), and
            # browsers update the active cue as they update the playback time, every 250 ms or so: skip
            # readings within half a second of any cue's edge.
            now_ms = now * 1000
            lines = [(round(e["start_ms"]), round(e["end_ms"])) for e in timeline["events"] if e["kind"] == "speech"]
            settled = all(abs(now_ms - edge) >= EDGE_MS for line in lines for edge in line)
            spoken = [line for line in lines if line[0] < now_ms < line[1]]
            if settled and spoken:
                assert active == [spoken[0][0] / 1000, spoken[0][1] / 1000]
                checked += 1
            elif settled and any(line[1] < now_ms for line in lines):  # between lines, none is marked
                assert active is None, f"the line ending at {active[1]} s is still marked at {now:.3f} s"
            time.sleep(0.2)
        assert checked == 3, f"the page never reached the middle of a spoken line after {chapter['title']!r}"
        assert not driver.execute_script("return document.getElementById('player').paused")


def test_the_page_plays_from_file_urls_and_seeks_to_each_chapter(site, browser):
    folder, _ = site
    timeline = json.loads((folder / "desk-reset.json").read_text(encoding="utf-8"))
    duration = open_page(browser, (folder / PAGE).as_uri())
    assert abs(duration - timeline["duration_ms"] / 1000) < 0.05
    play_chapters_and_follow(browser, timeline)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "publish-session-page.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_served_over_http_the_webvtt_file_is_the_track(site, served, browser):
    folder, _ = site
    timeline = json.loads((folder / "desk-reset.json").read_text(encoding="utf-8"))
    open_page(browser, served + PAGE)
    deadline = time.monotonic() + 10
    cues = 0
    while not cues and time.monotonic() < deadline:
        cues = browser.execute_script(
            "const track = document.querySelector('#player track');"
            "return track.readyState === 2 ? track.track.cues.length : 0"
        )
        time.sleep(0.05)
    assert cues == sum(e["kind"] == "speech" for e in timeline["events"])
    assert browser.execute_script("return document.getElementById('player').textTracks.length") == 1
    play_chapters_and_follow(browser, timeline)


def test_the_index_links_every_session_and_its_picture_is_drawn(site, browser):
    folder, published = site
    browser.get((folder / "index.html").as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "ul.sessions h2 a")]
    assert links == [(folder / f"{s.name}.html").as_uri() for s in published.sessions]
    covers = browser.execute_script(
        "return [...document.querySelectorAll('ul.sessions img')].map(i => i.complete && i.naturalWidth)"
    )
    assert covers == [1400] * len(published.sessions)
    browser.get((folder / PAGE).as_uri())
    box = browser.execute_script("const r = document.querySelector('figure svg').getBoundingClientRect();"
                                 "return [r.width, r.height]")  # fmt: skip
    assert box[0] > 500 and box[1] > 50
