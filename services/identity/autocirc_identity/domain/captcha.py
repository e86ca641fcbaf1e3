"""Captcha images drawn with Pillow: four characters from an alphabet without look-alikes
(no 0/O, 1/I/L), each rotated and offset, over noise lines and dots."""
from __future__ import annotations

import base64
import io
import random
import secrets

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
WIDTH, HEIGHT = 120, 44


def new_answer(length: int = 4) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no sized default font
        return ImageFont.load_default()


def render_png(answer: str) -> bytes:
    rng = random.Random(secrets.randbits(64))
    img = Image.new("RGB", (WIDTH, HEIGHT), (245, 245, 240))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        draw.line([(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)), (rng.randint(0, WIDTH), rng.randint(0, HEIGHT))],
                  fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)), width=1)
    font = _font(28)
    step = WIDTH // (len(answer) + 1)
    for i, ch in enumerate(answer):
        glyph = Image.new("RGBA", (36, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 2), ch, font=font,
                                   fill=(rng.randint(0, 90), rng.randint(0, 90), rng.randint(60, 150)))
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        img.paste(glyph, (8 + i * step + rng.randint(-3, 3), rng.randint(0, 6)), glyph)
    for _ in range(120):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)),
                   fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    img = img.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def answers_match(expected: str, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(expected.upper(), given.strip().upper())
