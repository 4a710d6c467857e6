"""Find where sounds start in decoded audio, independently of the timeline, and compare."""

from __future__ import annotations

import numpy as np

WINDOW_MS = 1
THRESHOLD = 0.002  # RMS of a 1 ms window; the engine's quietest onsets sit above this
QUIET_MS = 150  # an onset is a rise out of at least this much quiet


def detect_onsets(audio: np.ndarray, rate: int) -> list[float]:
    """Millisecond positions where the short-window RMS rises above the threshold after quiet."""
    hop = rate * WINDOW_MS // 1000
    frames = len(audio) // hop
    rms = np.sqrt(np.mean(audio[: frames * hop].reshape(frames, hop).astype(np.float64) ** 2, axis=1))
    loud = rms > THRESHOLD
    onsets, quiet_run = [], QUIET_MS
    for index, is_loud in enumerate(loud):
        if is_loud:
            if quiet_run >= QUIET_MS:
                # Refine to the first sample above the threshold within the window.
                part = np.abs(audio[index * hop : (index + 1) * hop])
                first = int(np.argmax(part > THRESHOLD)) if (part > THRESHOLD).any() else 0
                onsets.append((index * hop + first) * 1000 / rate)
            quiet_run = 0
        else:
            quiet_run += WINDOW_MS
    return onsets


def expected_onsets(timeline: dict) -> list[float]:
    """Starts of sounding events that follow at least QUIET_MS of silence."""
    out, quiet = [], 0.0
    for event in timeline["events"]:
        if event["kind"] == "silence":
            quiet += event["end_ms"] - event["start_ms"]
            continue
        if quiet >= QUIET_MS + 5:
            out.append(event["start_ms"])
        quiet = 0.0
    return out


def onset_errors(audio: np.ndarray, rate: int, timeline: dict, slack_ms: float = 10.0) -> list[float]:
    """For each expected onset, the signed distance (ms) to the nearest onset found in the audio.

    Raises AssertionError if the audio has an onset inside a silence event of the
    timeline (a sound where the timeline says there is none).
    """
    found = np.array(detect_onsets(audio, rate))
    sounding = [(e["start_ms"] - slack_ms, e["end_ms"]) for e in timeline["events"] if e["kind"] != "silence"]
    stray = [f for f in found if not any(a <= f <= b for a, b in sounding)]
    assert not stray, f"sound where the timeline has silence, at {stray[:5]} ms"
    return [float(found[np.argmin(np.abs(found - w))] - w) for w in expected_onsets(timeline)]
