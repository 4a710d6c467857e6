"""Routines the tests share: the shipped ones, and one that uses every step kind."""

from __future__ import annotations

from pathlib import Path

SCRIPTS = sorted((Path(__file__).parents[2] / "scripts").glob("*.yaml"))
"""The routines that ship, in name order."""

EVERY_KIND = """
title: Every Kind
description: A routine with every step kind.
author: Test Author
voice: {name: en-us, rate: 170}
steps:
  - section: Settle
  - say: Stop if anything hurts. Lie on your back.
  - pause: 1s
  - bell: soft
  - repeat: 2
    steps:
      - say: Round {round} of {rounds}.
      - pause: 500ms
  - section: Hold
  - sides: [left, right]
    switch: Now the other side.
    steps:
      - hold: 12s
        say: Step your {side} foot forward.
        cues: [halfway, {remaining: 4}, {countdown: 2}, {at: 2s, say: Soften.}]
        then: Release.
  - section: Breathe
  - breathe: {in: 4, out: 6, cycles: 1, cue: words}
  - breathe: {in: 4, hold: 2, out: 5, cycles: 1, cue: count}
  - breathe: {in: 3, out: 4, rest: 1, cycles: 2, cue: tone}
  - sound: chime.wav
  - say: That is all.
  - bell: {preset: end, gain: -3dB}
"""
"""A routine with every step kind; it plays ``chime.wav`` from its own folder."""
