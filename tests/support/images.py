"""Test images made with Pillow."""
from __future__ import annotations

import io
import random

from PIL import Image


def png(width: int = 400, height: int = 300, seed: int | None = None) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(50):
        x, y = rng.randrange(width), rng.randrange(height)
        image.putpixel((x, y), (rng.randrange(256), 0, 0))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def jpeg_with_exif(width: int = 400, height: int = 300) -> bytes:
    image = Image.new("RGB", (width, height), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "EvilCam"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPS IFD
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()
