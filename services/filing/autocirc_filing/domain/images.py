"""Licence and seal images: only real JPEG/PNG, decoded by Pillow (never trusted by name or
header), ≤ 300 KB, sane dimensions, decompression bombs refused, re-encoded so metadata
(EXIF GPS, comments) and anything appended to the file (polyglots) are dropped. What is stored
(and sent to the police) is the re-encoded file, so it is held to the same 300 KB."""
from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import Any

from autocirc_shared.errors import AppError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 300 * 1024
MAX_PIXELS = 25_000_000  # far beyond any scan at 300 KB; a bomb declares more
MIN_SIDE, MAX_SIDE = 64, 10_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
KINDS = {"licence_original": "营业执照正本", "licence_copy": "营业执照副本", "seal": "公章"}
JPEG_QUALITIES = (90, 85, 80, 75, 70, 60, 50)  # tried in turn until the re-encoded file fits
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8")
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, struct.error)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def too_large() -> AppError:
    return AppError(413, "media.too_large", "图片文件大小不能超过300KB")


def corrupt() -> AppError:
    return AppError(422, "media.corrupt", "图片已损坏，无法读取")


def clean_image(raw: bytes) -> CleanImage:
    if len(raw) > MAX_BYTES:
        raise too_large()
    if not raw:
        raise AppError(422, "media.corrupt", "上传的文件为空")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(raw), formats=["JPEG", "PNG"])
        except UnidentifiedImageError:
            if raw.startswith(SIGNATURES):  # a real JPEG/PNG start whose header is cut off or mangled
                raise corrupt() from None
            raise AppError(415, "media.type", "只能上传 JPG 或 PNG 格式的图片") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AppError(422, "media.dimensions", "图片像素尺寸过大") from None
        except UNREADABLE:  # a JPEG/PNG signature followed by a cut-off header
            raise corrupt() from None
        fmt = image.format
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise AppError(422, "media.dimensions", "图片像素尺寸过大")
        if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
            raise AppError(422, "media.dimensions", f"图片尺寸应在{MIN_SIDE}至{MAX_SIDE}像素之间")
        try:
            if fmt == "PNG":  # checks every chunk's CRC and that the file reaches IEND
                Image.open(io.BytesIO(raw), formats=["PNG"]).verify()
            image.load()
        except (*UNREADABLE, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise corrupt() from None
    image = ImageOps.exif_transpose(image)  # keep the visible orientation once EXIF is gone
    if fmt == "JPEG":
        data, content_type = _jpeg_within_limit(image.convert("RGB")), "image/jpeg"
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        data, content_type = _encoded(image, format="PNG", optimize=True), "image/png"
        if len(data) > MAX_BYTES:
            raise AppError(413, "media.too_large", "图片重新编码后超过300KB，请降低分辨率或改用JPG格式后重新上传")
    return CleanImage(data, content_type, image.width, image.height)


def _encoded(image: Image.Image, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, **options)
    return out.getvalue()


def _jpeg_within_limit(image: Image.Image) -> bytes:
    for quality in JPEG_QUALITIES:
        data = _encoded(image, format="JPEG", quality=quality, optimize=True)
        if len(data) <= MAX_BYTES:
            return data
    raise AppError(413, "media.too_large", "图片重新编码后超过300KB，请降低分辨率后重新上传")
