"""Validators for what sounds inside a hold (cues) and for bells and sounds, which are steps and cues alike."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..formats import SOUND_SUFFIXES
from ..model import BELLS, Bell, Cue, Sound, Where
from ..units import format_ms
from .document import Document
from .fields import Fields, shown
from .media import MAX_SOUNDS_SECONDS, inspect_audio

_CUES = "{remaining: N}, {countdown: N}, {halfway: ...}, {at: 8s, say: ...} or {after: 1s, say: ...}"
CUE_KEYS = ("remaining", "countdown", "halfway", "at", "after", "say", "sound", "bell", "gain")


class CueReader(Fields):
    """Reads a hold's cues, bells and sound files, and totals the sounds for the routine's limit on them."""

    def __init__(self, document: Document):
        super().__init__(document)
        self.sounds: set[tuple[Path, float]] = set()
        """Each distinct sound (file and gain) the routine plays; the bank keeps each one decoded."""
        self.sound_seconds = 0.0
        """Their length added up."""

    def hold_cues(self, node, where, fields, hold_ms) -> list[Cue]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "'cues' must be a list such as [halfway, {remaining: 10}, {countdown: 3}]")
            return []
        cues = []
        for index, item in enumerate(node.value):
            cue_where = self.where(item, f"{where.path}.cues[{index}]")
            cue = self.hold_cue(item, cue_where, fields, hold_ms)
            if cue:
                cues.append(cue)
        return cues

    def hold_cue(self, item, where, fields, hold_ms) -> Cue | None:
        hold_text = format_ms(hold_ms) if hold_ms else ""
        if isinstance(item, yaml.ScalarNode) and item.value == "halfway":
            return Cue("halfway", 0, None, where)
        reported = len(self.problems)
        keys = self.mapping(item, "cue", CUE_KEYS) if isinstance(item, yaml.MappingNode) else None
        if keys is None:
            if not isinstance(item, yaml.MappingNode):
                self.fail(item, f"unknown cue {shown(item)}; a cue is halfway, {_CUES}")
            return None
        kinds = [kind for kind in ("remaining", "countdown", "halfway", "at", "after") if kind in keys]
        heard = [kind for kind in ("say", "sound", "bell") if kind in keys]
        placed = bool(kinds) and kinds[0] in ("at", "after")
        both = kinds[:2] if len(kinds) > 1 else heard[:2] if len(heard) > 1 else kinds + heard[:1]
        if len(both) > 1 and not (placed and len(kinds) == 1 and len(heard) == 1):
            self.fail(item, f"cue has both '{both[0]}' and '{both[1]}'; a cue is halfway, {_CUES}")
            return None
        if "gain" in keys and "sound" not in keys:
            self.fail(keys["gain"][0], "'gain' goes with 'sound', the level of the sound file; remove it")
            return None
        if "halfway" in keys:
            text = self.spoken(keys["halfway"][1], "halfway", fields)
            return Cue("halfway", 0, text, where) if text else None
        for kind in ("remaining", "countdown"):
            if kind in keys:
                seconds = self.integer(keys[kind][1], kind, 1, 3600)
                if seconds is None:
                    return None
                # "remaining: N" speaks N s before the end, so it needs N s < hold; a countdown
                # may start right at the opening of the hold.
                limit = seconds * 1000 + (kind == "remaining")
                if hold_ms is not None and limit > hold_ms:
                    self.fail(
                        keys[kind][1],
                        f"'{kind}: {seconds}' does not fit in the {hold_text} hold; "
                        "use a smaller number or a longer hold",
                    )
                    return None
                return Cue(kind, seconds, None, where)
        if not placed:
            if len(self.problems) == reported:  # else an unknown key was reported already, with a did-you-mean
                self.fail(item, f"cue needs one of: remaining, countdown, at, after; a cue is halfway, {_CUES}")
            return None
        kind = kinds[0]
        offset = self.duration(keys[kind][1], kind, allow_zero=True)
        if not heard:
            self.fail(keys[kind][0], f"cue '{kind}' needs 'say' (the words), 'sound' (a file) or 'bell' (a preset)")
            return None
        if kind == "at" and offset is not None and hold_ms is not None and offset >= hold_ms:
            self.fail(
                keys["at"][1],
                f"cue at {format_ms(offset)} is beyond the end of the {hold_text} hold; "
                f"use an offset below {format_ms(hold_ms)}",
            )
            return None
        text = sound = None
        if "say" in keys:
            text = self.spoken(keys["say"][1], "say", fields)
        elif "bell" in keys:
            sound = self.bell(keys["bell"][1], where)
        else:
            sound = self.sound(keys["sound"][1], keys["gain"][1] if "gain" in keys else None, where)
        return Cue(kind, offset, text, where, sound) if offset is not None and (text or sound) else None

    def bell(self, node: yaml.Node, where: Where) -> Bell | None:
        """A bell: a preset's name, or a mapping of ``preset`` and ``gain``."""
        if isinstance(node, yaml.ScalarNode):
            preset = self.doc.scalar(node) or "start"
            if preset not in BELLS:
                self.fail(node, f"bell preset must be one of {', '.join(BELLS)}; got {shown(node)}")
                return None
            return Bell(preset, 0.0, where)
        parts = self.mapping(node, "bell", ("preset", "gain"))
        if parts is None:
            return None
        preset = "start"
        if "preset" in parts:
            preset = self.doc.scalar(parts["preset"][1]) if isinstance(parts["preset"][1], yaml.ScalarNode) else None
            if preset not in BELLS:
                self.fail(
                    parts["preset"][1],
                    f"bell preset must be one of {', '.join(BELLS)}; got {shown(parts['preset'][1])}",
                )
                return None
        gain = self.db(parts["gain"][1], "bell.gain") if "gain" in parts else 0.0
        return Bell(preset, gain, where) if gain is not None else None

    def sound(self, node: yaml.Node, gain_node: yaml.Node | None, where: Where) -> Sound | None:
        """A sound file played at ``gain_node``'s level change (none when it is ``None``)."""
        path = self.file(node, "sound", SOUND_SUFFIXES, inspect_audio)
        gain = self.db(gain_node, "gain") if gain_node is not None else 0.0
        if not path or gain is None:
            return None
        if (path, gain) not in self.sounds:
            self.sounds.add((path, gain))
            self.sound_seconds += self.inspected[path]
            if self.sound_seconds > MAX_SOUNDS_SECONDS >= self.sound_seconds - self.inspected[path]:  # once
                self.fail(
                    node,
                    f"the routine's sounds add up to over {MAX_SOUNDS_SECONDS // 60} minutes of audio "
                    "(a file played at two gains counts twice); use shorter sounds or fewer of them",
                )
        return Sound(path, gain, where)
