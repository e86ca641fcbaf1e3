"""The stub's HTTP face under ``/stub/police`` (the gateway forwards it without a user token)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Awaitable, Callable

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.errors import AppError, FieldError, field_errors, translate_validation_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import ValidationError

from ..police.signing import KEY_ID_HEADER, SIGNATURE_HEADER, token_valid, verify
from ..settings import MediaSyncSettings
from .faults import FaultInjector, PoliceStubFaults
from .schemas import (
    PoliceDocumentIn,
    PoliceFilingIn,
    PoliceStubDocument,
    PoliceStubFiling,
    PoliceStubReceipt,
    PoliceStubStats,
)
from .store import count_request, list_documents, list_filings, statistics, store_document, store_filing
from .trust import StubTrust, TrustedKeys

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


class Incoming:
    """One message as the stub receives it (headers named for the OpenAPI document), and what it does with
    every message: count it, obey the fault switches, check the transport token and the signature, then
    store the body once per idempotency key (a replay answers the same receipt)."""

    def __init__(
        self,
        request: Request,
        idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100, description="幂等键"),
        authorization: str | None = Header(None, description="Bearer <AUTOCIRC_POLICE_TOKEN>（仅作传输凭据）"),
        signature: str | None = Header(None, alias=SIGNATURE_HEADER, description="Ed25519 签名（请求体原文，Base64）"),
        key_id: str | None = Header(None, alias=KEY_ID_HEADER, max_length=64, description="签名密钥标识"),
        faults: FaultInjector = Depends(faults_of),
        uow: UnitOfWork = Depends(get_uow),
    ) -> None:
        self.request, self.key, self.authorization = request, idempotency_key, authorization
        self.signature, self.key_id, self.faults, self.uow = signature, key_id, faults, uow

    async def receive(self, store: Callable[[bytes], Awaitable[str]]) -> PoliceStubReceipt:
        settings: MediaSyncSettings = self.request.app.state.runtime.settings
        if not self.key:
            raise AppError(400, "police.idempotency_key", "缺少 Idempotency-Key 请求头")
        body = await self.request.body()
        if len(body) > MAX_BODY:
            raise AppError(413, "request.too_large", "请求内容过大")
        fault = self.faults.draw()
        await count_request(self.uow, self.key, _uscc_hint(body), fault is not None)
        await self.uow.commit()
        await self.faults.delay()
        if fault in ("down", "refused"):
            raise _unavailable()
        if not token_valid(self.authorization, settings.police_token):
            raise AppError(401, "police.token", "接口令牌无效", headers={"WWW-Authenticate": "Bearer"})
        trust: StubTrust = self.request.app.state.police_stub_trust
        if problem := verify(body, self.key_id, self.signature, trust.trusted()):
            raise AppError(403, "police.signature", f"报文签名校验失败：{problem}")
        receipt_id = await store(body)
        await self.uow.commit()
        if fault == "answer_lost":  # stored, but the sender never hears of it
            raise _unavailable()
        return PoliceStubReceipt(receipt_id=receipt_id)


def _body_schema(model) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


RECEIVE_ERRORS = {401: {"description": "令牌无效"}, 403: {"description": "签名无效"},
                  409: {"description": "幂等键已用于另一份内容"}, 503: {"description": "模拟故障"}}


@router.post("/documents", response_model=PoliceStubReceipt, summary="（模拟）公安接收企业影像",
             openapi_extra=_body_schema(PoliceDocumentIn), responses=RECEIVE_ERRORS)
async def receive_document(incoming: Incoming = Depends()):
    async def store(body: bytes) -> str:
        doc, image = _parse(body)
        return await store_document(incoming.uow, incoming.key, doc, len(image))

    return await incoming.receive(store)


@router.post("/filings", response_model=PoliceStubReceipt, summary="（模拟）公安接收企业备案记录（确认、变更、注销）",
             openapi_extra=_body_schema(PoliceFilingIn), responses=RECEIVE_ERRORS)
async def receive_filing(incoming: Incoming = Depends()):
    async def store(body: bytes) -> str:
        try:
            record = PoliceFilingIn.model_validate_json(body)
        except ValidationError as exc:
            raise field_errors(422, translate_validation_errors(exc.errors())) from None
        return await store_filing(incoming.uow, incoming.key, record, hashlib.sha256(body).hexdigest(),
                                  incoming.key_id)

    return await incoming.receive(store)


@router.get("/filings", response_model=list[PoliceStubFiling], summary="（模拟）公安已接收的备案记录（最新的在后）")
async def filings(uscc: str | None = Query(None, max_length=30, description="统一社会信用代码"),
                  uow: UnitOfWork = Depends(get_uow)):
    return [PoliceStubFiling(uscc=f.uscc, status=f.status, filing_version=f.filing_version,
                             received_at=f.received_at, receipt_id=f.receipt_id, record=f.body)
            for f in await list_filings(uow, uscc)]


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


@router.put("/faults", response_model=PoliceStubFaults,
            summary="（模拟）设置故障开关：停机、随机失败、延迟、应答丢失（系统管理员）", dependencies=[Depends(admin_only)])
async def set_faults(body: PoliceStubFaults, faults: FaultInjector = Depends(faults_of)):
    faults.current = body
    return faults.current


@router.put("/trusted-keys", response_model=TrustedKeys, summary="（模拟）只接受这些签名公钥（替代默认的本系统公布的公钥）",
            responses={422: {"description": "公钥不是有效的 Ed25519 公钥"}}, dependencies=[Depends(admin_only)])
async def pin_trusted_keys(body: TrustedKeys, request: Request):
    try:
        request.app.state.police_stub_trust.pin(body)
    except ValueError as exc:
        raise field_errors(422, [FieldError(field="keys", code="police.public_key",
                                            message=f"公钥 {exc} 不是有效的 Ed25519 公钥")]) from None
    return body


@router.delete("/trusted-keys", status_code=204, summary="（模拟）恢复默认：接受本系统公布的签名公钥",
               dependencies=[Depends(admin_only)])
async def reset_trusted_keys(request: Request):
    request.app.state.police_stub_trust.pinned = None
