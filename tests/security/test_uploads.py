"""Image attacks on the filing uploads (RELIABILITY.md scenario 13), beyond tests/integration/test_filing.py
(which covers a GIF/PDF header, a truncated PNG, a PNG pixel bomb, a 301 KB body, PNG+ZIP and EXIF via the
app's own blob store): here JPEG polyglots, a real GIF named .png, lying labels, a JPEG pixel bomb, a 50 MB
upload with its peak memory, and the EXIF/GPS check on the bytes read back from S3 itself."""
from __future__ import annotations

import io
import struct
import time
import tracemalloc

import boto3
import pytest
from PIL import Image

from tests.support.api import bearer, login, make_uscc, register
from tests.support.images import png

from .conftest import TIBET, figure

URL = "/api/v1/filing/media/{}"


@pytest.fixture(scope="module")
async def uploader(system):
    enterprise = await register(system.client, residence=dict(TIBET), uscc=make_uscc("540102"))
    return bearer(await login(system.client, enterprise["username"]))


async def upload(client, headers, data: bytes, name: str = "x.png", ctype: str = "image/png", kind: str = "seal"):
    return await client.post(URL.format(kind), headers=headers, files={"file": (name, data, ctype)})


def jpeg(width: int = 400, height: int = 300, **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buf, format="JPEG", **save)
    return buf.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "EvilCam"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 11.0)}
    return jpeg(exif=exif)


def s3_object(system, key: str) -> bytes:
    """The stored bytes as S3 itself serves them (not through the service's blob store)."""
    env = system.env
    s3 = boto3.client("s3", endpoint_url=env["AUTOCIRC_S3_ENDPOINT"], aws_access_key_id=env["AUTOCIRC_S3_ACCESS_KEY"],
                      aws_secret_access_key=env["AUTOCIRC_S3_SECRET_KEY"], region_name="us-east-1")
    return s3.get_object(Bucket=env["AUTOCIRC_S3_BUCKET"], Key=key)["Body"].read()


async def test_polyglots_are_re_encoded_and_their_payloads_never_stored(system, uploader):
    client = system.client
    payloads = {
        "jpeg+html": (jpeg(), b"<html><script>alert(document.cookie)</script></html>", "image/jpeg"),
        "jpeg+zip": (jpeg(), b"PK\x03\x04\x14\x00\x00\x00evil.php<?php system($_GET['c']); ?>", "image/jpeg"),
        "png+html": (png(), b"<svg onload=alert(1)>", "image/png"),
    }
    for name, (image, payload, ctype) in payloads.items():
        response = await upload(client, uploader, image + payload, f"{name}.img", ctype, kind="licence_copy")
        assert response.status_code == 201, (name, response.text)
        stored = s3_object(system, f"media/{response.json()['sha256']}")
        assert payload not in stored and b"script" not in stored and b"<?php" not in stored, name
        assert stored != image + payload, "re-encoded, not the uploaded bytes"
        reopened = Image.open(io.BytesIO(stored))
        assert reopened.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[ctype]
        if ctype == "image/jpeg":
            assert stored.endswith(b"\xff\xd9"), "nothing after the JPEG end marker"


async def test_exif_gps_is_gone_from_the_bytes_in_s3(system, uploader):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "the test image does carry GPS"
    response = await upload(system.client, uploader, original, "gps.jpg", "image/jpeg", kind="licence_original")
    assert response.status_code == 201, response.text
    stored = s3_object(system, f"media/{response.json()['sha256']}")
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif(), "no EXIF at all"
    assert b"Exif" not in stored and b"EvilCam" not in stored
    assert "exif" not in image.info and "xmp" not in image.info


async def test_wrong_and_lying_types(system, uploader):
    client = system.client
    gif = io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(gif, format="GIF")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>alert(1)</script></svg>'
    webp = io.BytesIO()
    Image.new("RGB", (400, 300)).save(webp, format="WEBP")
    for data, name, ctype in ((gif.getvalue(), "seal.png", "image/png"),     # a real GIF disguised as PNG
                              (svg, "seal.png", "image/png"),
                              (webp.getvalue(), "seal.jpg", "image/jpeg"),
                              (b"MZ\x90\x00" + b"\x00" * 2000, "seal.jpg", "image/jpeg")):
        response = await upload(client, uploader, data, name, ctype)
        assert (response.status_code, response.json()["code"]) == (415, "media.type"), (name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert not response.json()["detail"].isascii()
    # a real image under the wrong label is judged by its content, and stored as what it is
    mislabelled = await upload(client, uploader, png(), "seal.jpg", "image/jpeg")
    assert mislabelled.status_code == 201 and mislabelled.json()["content_type"] == "image/png"
    html_label = await upload(client, uploader, jpeg(), "seal.html", "text/html")
    assert html_label.status_code == 201 and html_label.json()["content_type"] == "image/jpeg"
    media = {m["kind"]: m for m in (await client.get("/api/v1/filing/media", headers=uploader)).json()}
    assert media["seal"]["sha256"] == html_label.json()["sha256"]


def jpeg_pixel_bomb() -> bytes:
    """A small valid-looking JPEG whose frame header declares 65000 × 65000 pixels."""
    data = bytearray(jpeg(64, 64))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 65000, 65000)
    return bytes(data)


async def test_pixel_bombs_are_refused_quickly(system, uploader):
    started = time.perf_counter()
    response = await upload(system.client, uploader, jpeg_pixel_bomb(), "bomb.jpg", "image/jpeg")
    elapsed = time.perf_counter() - started
    assert response.status_code == 422 and response.json()["code"] in ("media.dimensions", "media.corrupt"), \
        response.text
    assert elapsed < 5
    figure("pixel_bomb_refused_seconds", round(elapsed, 2))


class Body:
    """A multipart body of ``size`` bytes, produced lazily; counts how much of it the server pulled."""

    def __init__(self, size: int, boundary: str = "autocircsecurityboundary") -> None:
        self.size, self.boundary, self.sent = size, boundary, 0
        self.head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                     f"Content-Type: image/png\r\n\r\n").encode() + b"\x89PNG\r\n\x1a\n"
        self.tail = f"\r\n--{boundary}--\r\n".encode()

    @property
    def length(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    async def __aiter__(self):
        chunk = b"\x00" * (64 * 1024)
        self.sent += len(self.head)
        yield self.head
        left = self.size
        while left > 0:
            part = chunk[:min(left, len(chunk))]
            left -= len(part)
            self.sent += len(part)
            yield part
        self.sent += len(self.tail)
        yield self.tail


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_50_mb_upload_is_refused_without_holding_it_in_memory(system, uploader, declared):
    body = Body(50 * 1024 * 1024)
    headers = {**uploader, "Content-Type": f"multipart/form-data; boundary={body.boundary}"}
    if declared:
        headers["Content-Length"] = str(body.length)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = await system.client.post(URL.format("seal"), headers=headers, content=body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    label = "declared" if declared else "chunked"
    figure(f"upload_50mb_{label}_peak_mib", round(peak / 2**20, 1))
    figure(f"upload_50mb_{label}_read_mib", round(body.sent / 2**20, 1))
    figure(f"upload_50mb_{label}_seconds", round(elapsed, 2))
    assert (response.status_code, response.json()["code"]) == (413, "media.too_large"), response.text
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB while refusing 50 MB"
    assert body.sent < 2 * 2**20, f"read {body.sent / 2**20:.1f} MiB of a body it should have cut off"
