"""Where media bytes live: S3 (MinIO in deploy/, moto_server in tests) when
AUTOCIRC_S3_ENDPOINT is set, else a local folder under the data dir (embedded mode).

Keys are content-addressed (``media/<sha256>``): the same bytes are stored once, a key never
changes meaning, and a reader can verify what it got.
"""
from __future__ import annotations

import asyncio
import hashlib
import io
import os
from abc import ABC, abstractmethod
from pathlib import Path
from urllib.parse import urlparse

from .settings import CommonSettings


def content_key(data: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    return f"media/{digest}", digest


class BlobNotFound(KeyError):
    pass


class BlobStore(ABC):
    @abstractmethod
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    @abstractmethod
    async def get(self, key: str) -> bytes: ...

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove ``key``; a key that is already gone is fine."""

    @abstractmethod
    async def ready(self) -> bool: ...


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("key escapes the store")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        await asyncio.to_thread(tmp.write_bytes, data)
        os.replace(tmp, path)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def ready(self) -> bool:
        self.root.mkdir(parents=True, exist_ok=True)
        return True


class S3BlobStore(BlobStore):
    """The MinIO client (speaks plain S3) in worker threads; creates the bucket on first use."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str, bucket: str, region: str = "us-east-1") -> None:
        from minio import Minio

        parsed = urlparse(endpoint if "://" in endpoint else f"http://{endpoint}")
        self.client = Minio(parsed.netloc, access_key=access_key, secret_key=secret_key,
                            secure=parsed.scheme == "https", region=region)
        self.bucket = bucket
        self._bucket_checked = False

    def _ensure_bucket(self) -> None:
        if not self._bucket_checked:
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                except Exception as exc:  # created concurrently by another replica
                    if "BucketAlreadyOwnedByYou" not in str(exc) and "BucketAlreadyExists" not in str(exc):
                        raise
            self._bucket_checked = True

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self._ensure_bucket()
        self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), content_type=content_type)

    def _get(self, key: str) -> bytes:
        from minio.error import S3Error

        self._ensure_bucket()
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise BlobNotFound(key) from None
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data, content_type)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    def _delete(self, key: str) -> None:  # S3 answers a missing key's delete with success
        self._ensure_bucket()
        self.client.remove_object(self.bucket, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    async def ready(self) -> bool:
        try:
            await asyncio.to_thread(self._ensure_bucket)
            return True
        except Exception:
            return False


def blob_store_from_settings(settings: CommonSettings) -> BlobStore:
    if settings.s3_endpoint:
        return S3BlobStore(settings.s3_endpoint, settings.s3_access_key or "", settings.s3_secret_key or "",
                           settings.s3_bucket, settings.s3_region)
    return LocalBlobStore(Path(settings.data_dir) / "blobs")
