"""Cover pictures for sessions that have none, and for the feed: the title on a calm colour (Pillow).

Podcast apps want a square PNG or JPEG of 1400 to 3000 pixels for a show,
so a session whose routine names no ``cover`` still gets one to show.
"""

from __future__ import annotations

import hashlib
import io
import textwrap

from .sessions import Cover

SIZE = 1400
"""Pixels on a side: the smallest square podcast directories accept."""
# Okabe-Ito colours, darkened so that white text on them reads well.
_GROUNDS = ((0, 84, 133), (0, 110, 82), (148, 60, 0), (110, 60, 100), (60, 60, 60))


def title_cover(title: str) -> Cover:
    """A PNG with ``title`` in white on a colour chosen from the title (the same title, the same picture)."""
    from PIL import Image, ImageDraw, ImageFont  # only publishing draws, and only when a cover is missing

    ground = _GROUNDS[hashlib.sha256(title.encode("utf-8")).digest()[0] % len(_GROUNDS)]
    image = Image.new("RGB", (SIZE, SIZE), ground)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=120)
    lines = textwrap.wrap(title, width=16, max_lines=5, placeholder="…") or [""]
    text = "\n".join(lines)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=30, align="center")
    at = ((SIZE - (box[2] - box[0])) / 2, (SIZE - (box[3] - box[1])) / 2)
    draw.multiline_text(at, text, font=font, fill=(255, 255, 255), spacing=30, align="center")
    draw.rectangle((0, SIZE - 60, SIZE, SIZE), fill=tuple(c // 2 for c in ground))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Cover(out.getvalue(), "image/png")
