"""The stub's HTTP face under ``/stub/police`` (the gateway forwards it without a user token)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.errors import AppError, field_errors, translate_validation_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import ValidationError

from ..police.signing import SIGNATURE_HEADER, signature_valid, token_valid
from ..settings import MediaSyncSettings
from .faults import FaultInjector, PoliceStubFaults
from .schemas import PoliceDocumentIn, PoliceStubDocument, PoliceStubReceipt, PoliceStubStats
from .store import count_request, list_documents, statistics, store_document

router = APIRouter(prefix="/stub/police", tags=["police-stub"])
admin_only = require_kind("admin")  # switching the feed off is an operator's act, not anyone's

MAX_BODY = 2_000_000  # images are at most 300 KB; base64 and JSON add about a third


def faults_of(request: Request) -> FaultInjector:
    return request.app.state.police_faults


def _unavailable() -> AppError:
    return AppError(503, "police.unavailable", "公安接口暂不可用（模拟故障）", headers={"Retry-After": "1"})


def _uscc_hint(body: bytes) -> str | None:
    """The sender's USCC for per-enterprise statistics, read before (and whatever) validation says."""
    try:
        uscc = json.loads(body).get("uscc")
    except (ValueError, AttributeError):
        return None
    return uscc if isinstance(uscc, str) and len(uscc) <= 30 else None


def _parse(body: bytes) -> tuple[PoliceDocumentIn, bytes]:
    try:
        doc = PoliceDocumentIn.model_validate_json(body)
    except ValidationError as exc:
        raise field_errors(422, translate_validation_errors(exc.errors())) from None
    try:
        image = base64.b64decode(doc.image_base64, validate=True)
    except (binascii.Error, ValueError):
        raise AppError(422, "police.image", "影像内容不是有效的 Base64") from None
    if hashlib.sha256(image).hexdigest() != doc.sha256:
        raise AppError(422, "police.sha256_mismatch", "影像内容与 SHA-256 校验值不符")
    return doc, image


@router.post("/documents", response_model=PoliceStubReceipt, summary="（模拟）公安接收企业影像",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": PoliceDocumentIn.model_json_schema()}}}},
             responses={401: {"description": "令牌无效"}, 403: {"description": "签名无效"},
                        409: {"description": "幂等键已用于另一份影像"}, 503: {"description": "模拟故障"}})
async def receive_document(
    request: Request,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100, description="幂等键"),
    authorization: str | None = Header(None, description="Bearer <AUTOCIRC_POLICE_TOKEN>"),
    signature: str | None = Header(None, alias=SIGNATURE_HEADER, description="sha256=<请求体的 HMAC-SHA256>"),
    faults: FaultInjector = Depends(faults_of),
    uow: UnitOfWork = Depends(get_uow),
):
    settings: MediaSyncSettings = request.app.state.runtime.settings
    if not idempotency_key:
        raise AppError(400, "police.idempotency_key", "缺少 Idempotency-Key 请求头")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise AppError(413, "request.too_large", "请求内容过大")
    fault = faults.draw()
    await count_request(uow, idempotency_key, _uscc_hint(body), fault is not None)
    await uow.commit()
    await faults.delay()
    if fault in ("down", "refused"):
        raise _unavailable()
    if not token_valid(authorization, settings.police_token):
        raise AppError(401, "police.token", "接口令牌无效", headers={"WWW-Authenticate": "Bearer"})
    if not signature_valid(body, settings.police_hmac_secret, signature):
        raise AppError(403, "police.signature", "请求签名校验失败")
    doc, image = _parse(body)
    receipt_id = await store_document(uow, idempotency_key, doc, len(image))
    await uow.commit()
    if fault == "answer_lost":
        raise _unavailable()
    return PoliceStubReceipt(receipt_id=receipt_id)


@router.get("/documents", response_model=list[PoliceStubDocument], summary="（模拟）公安已接收的影像")
async def documents(uscc: str | None = Query(None, max_length=30, description="统一社会信用代码"),
                    uow: UnitOfWork = Depends(get_uow)):
    stored, current = await list_documents(uow, uscc)
    return [PoliceStubDocument(uscc=d.uscc, kind=d.kind, sha256=d.sha256, receipt_id=d.receipt_id,
                               received_at=d.received_at, current=d.idempotency_key in current) for d in stored]


@router.get("/stats", response_model=PoliceStubStats, summary="（模拟）按幂等键统计收到的请求")
async def stats(uscc: str | None = Query(None, max_length=30, description="统一社会信用代码"),
                uow: UnitOfWork = Depends(get_uow)):
    return await statistics(uow, uscc)


@router.get("/faults", response_model=PoliceStubFaults, summary="（模拟）当前故障开关（系统管理员）",
            dependencies=[Depends(admin_only)])
async def get_faults(faults: FaultInjector = Depends(faults_of)):
    return faults.current


@router.put("/faults", response_model=PoliceStubFaults, summary="（模拟）设置故障开关：停机、随机失败、延迟（系统管理员）",
            dependencies=[Depends(admin_only)])
async def set_faults(body: PoliceStubFaults, faults: FaultInjector = Depends(faults_of)):
    faults.current = body
    return faults.current
