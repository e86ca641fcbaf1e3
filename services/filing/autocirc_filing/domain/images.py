"""Licence and seal images: only real JPEG/PNG, decoded by Pillow (never trusted by name or
header), ≤ 300 KB, sane dimensions, decompression bombs refused, re-encoded so metadata
(EXIF GPS, comments) and anything appended to the file (polyglots) are dropped."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from autocirc_shared.errors import AppError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 300 * 1024
MAX_PIXELS = 25_000_000  # far beyond any scan at 300 KB; a bomb declares more
MIN_SIDE, MAX_SIDE = 64, 10_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
KINDS = {"licence_original": "营业执照正本", "licence_copy": "营业执照副本", "seal": "公章"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def too_large() -> AppError:
    return AppError(413, "media.too_large", "图片文件大小不能超过300KB")


def clean_image(raw: bytes) -> CleanImage:
    if len(raw) > MAX_BYTES:
        raise too_large()
    if not raw:
        raise AppError(422, "media.corrupt", "上传的文件为空")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=["JPEG", "PNG"])
        except UnidentifiedImageError:
            raise AppError(415, "media.type", "只能上传 JPG 或 PNG 格式的图片") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AppError(422, "media.dimensions", "图片像素尺寸过大") from None
        fmt = image.format
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise AppError(422, "media.dimensions", "图片像素尺寸过大")
        if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
            raise AppError(422, "media.dimensions", f"图片尺寸应在{MIN_SIDE}至{MAX_SIDE}像素之间")
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AppError(422, "media.corrupt", "图片已损坏，无法读取") from None
    image = ImageOps.exif_transpose(image)  # keep the visible orientation once EXIF is gone
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
        content_type = "image/jpeg"
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    return CleanImage(out.getvalue(), content_type, image.width, image.height)
