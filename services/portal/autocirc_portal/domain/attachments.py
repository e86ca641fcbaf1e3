"""Attachments: PDF, Word, Excel or ZIP up to 20 MB, recognised by their bytes and matching their name."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from autocirc_shared.errors import AppError

MAX_BYTES = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: bytes
    member: str | None = None  # an OOXML file's required part


KINDS = {
    "pdf": Kind("application/pdf", b"%PDF-"),
    "doc": Kind("application/msword", OLE2),
    "xls": Kind("application/vnd.ms-excel", OLE2),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/document.xml"),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/workbook.xml"),
    "zip": Kind("application/zip", ZIP),
}


def too_large() -> AppError:
    return AppError(413, "attachment.too_large", "附件大小不能超过20MB")


def wrong_type() -> AppError:
    return AppError(415, "attachment.type", "附件类型不符：仅支持内容与扩展名一致的 PDF、Word（doc/docx）、Excel（xls/xlsx）、ZIP 文件")


def clean_filename(name: str | None) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|*?:').strip(" .")
    return base[-200:] or "附件"


def check(filename: str, data: bytes) -> str:
    """The content type of a file whose bytes are what its extension says; else 415 (413 past 20 MB)."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data:
        raise AppError(422, "attachment.empty", "附件为空文件")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = KINDS.get(extension)
    if kind is None or not data.startswith(kind.magic):
        raise wrong_type()
    if kind.magic == ZIP:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise wrong_type() from None
        if kind.member and kind.member not in names:
            raise wrong_type()
    return kind.content_type
