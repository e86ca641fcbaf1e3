"""The licence/seal image checks on their own: every cut-off file is media.corrupt (never a 500),
and what is stored — the re-encoded file — is held to the 300 KB the enterprise was promised."""
from __future__ import annotations

import io
import random

import pytest
from autocirc_filing.domain.images import MAX_BYTES, clean_image
from autocirc_shared.errors import AppError
from PIL import Image

from tests.support.images import png


def noisy_jpeg(side: int, quality: int) -> bytes:
    """Random noise compresses badly: a re-encode at a higher quality than the upload grows it."""
    rng = random.Random(side)
    image = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def refused(raw: bytes) -> tuple[int, str]:
    with pytest.raises(AppError) as caught:
        clean_image(raw)
    return caught.value.status, caught.value.code


@pytest.mark.parametrize("keep", [8, 12, 16, 20, 24, 29, 33, 40, 60, 200, -20, -12])
def test_a_png_cut_anywhere_is_corrupt(keep):
    raw = png(seed=7)
    assert refused(raw[:keep]) == (422, "media.corrupt")


@pytest.mark.parametrize("keep", [2, 4, 11, 20, 100, 400, -200])
def test_a_jpeg_cut_in_its_headers_or_data_is_corrupt(keep):
    raw = noisy_jpeg(200, 80)
    assert refused(raw[:keep]) == (422, "media.corrupt")


def test_text_named_as_an_image_is_not_an_image():
    assert refused("营业执照正本\n".encode() * 100) == (415, "media.type")


def test_an_upload_over_300_kb_is_refused_before_decoding():
    raw = noisy_jpeg(600, 95)
    assert len(raw) > MAX_BYTES
    assert refused(raw) == (413, "media.too_large")


def test_the_stored_jpeg_stays_within_300_kb_even_when_a_plain_reencode_would_not():
    side = 300
    while len(raw := noisy_jpeg(side, 60)) < 250 * 1024:
        side += 40
    assert len(raw) <= MAX_BYTES
    plain = io.BytesIO()
    Image.open(io.BytesIO(raw)).save(plain, format="JPEG", quality=90, optimize=True)
    assert len(plain.getvalue()) > MAX_BYTES, "the case this guards against"
    cleaned = clean_image(raw)
    assert len(cleaned.data) <= MAX_BYTES and cleaned.content_type == "image/jpeg"
    assert (cleaned.width, cleaned.height) == (side, side)


def test_a_whole_png_passes_and_keeps_its_size():
    cleaned = clean_image(png(seed=3))
    assert cleaned.content_type == "image/png" and (cleaned.width, cleaned.height) == (400, 300)
