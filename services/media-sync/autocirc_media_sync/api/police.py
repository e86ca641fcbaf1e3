"""What media-sync offers the police: the public keys its messages are signed with, and the look-up a
clerk at the vehicle office makes with an agency key (every look-up logged)."""
from __future__ import annotations

from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from ..models import AgencyKey
from ..usecases.agency_keys import key_of, log_access
from ..usecases.lookup import image_delivery, newest_record
from .schemas import PoliceEnterpriseOut, PoliceImageOut

router = APIRouter(prefix="/api/v1/police", tags=["police"])


class PublicKeyOut(BaseModel):
    key_id: str = Field(description="签名密钥标识（请求头 X-Autocirc-Key-Id）")
    algorithm: str = Field(description="签名算法：Ed25519（对请求体原文签名）")
    status: str = Field(description="active：当前签名用；previous：更换期间仍然有效")
    public_key: str = Field(description="公钥（32 字节，Base64）")


class PublicKeysOut(BaseModel):
    keys: list[PublicKeyOut]


@router.get("/keys", response_model=PublicKeysOut, summary="推送公安报文的签名公钥（无需登录）")
async def keys(request: Request):
    return PublicKeysOut(keys=[k.as_json() for k in request.app.state.police_keyring.published])


agency_scheme = HTTPBearer(auto_error=False, scheme_name="AgencyKey",
                           description="管理员签发的公安查询密钥（POST /api/v1/agency-keys）")
UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}
KINDS = ("licence_original", "licence_copy", "seal")


async def agency_key(credentials: HTTPAuthorizationCredentials | None = Depends(agency_scheme),
                     uow: UnitOfWork = Depends(get_uow)) -> AgencyKey:
    """The caller's agency key; anything else (no key, a revoked one, a user's token) is 401."""
    if credentials is None:
        raise AppError(401, "agency.key_required", "请提供公安查询密钥", headers=UNAUTHENTICATED)
    key = await key_of(uow, credentials.credentials)
    if key is None or key.revoked_at is not None:
        raise AppError(401, "agency.key_invalid", "公安查询密钥无效或已停用", headers=UNAUTHENTICATED)
    return key


async def _logged(uow: UnitOfWork, key: AgencyKey, uscc: str, what: str, status: int) -> None:
    log_access(uow, key, uscc, what, status)
    await uow.commit()


LOOKUP_ERRORS = {401: {"description": "没有或无效的公安查询密钥"}, 404: {"description": "该企业没有备案记录"}}


@router.get("/enterprises/{uscc}", response_model=PoliceEnterpriseOut, responses=LOOKUP_ERRORS,
            summary="公安查询企业备案（车管所办理业务时；须公安查询密钥，每次查询留痕）")
async def lookup(uscc: str, key: AgencyKey = Depends(agency_key), uow: UnitOfWork = Depends(get_uow)):
    uscc = uscc.strip().upper()[:30]
    record = await newest_record(uow, uscc)
    await _logged(uow, key, uscc, "enterprise", 200 if record else 404)
    if record is None:
        raise AppError(404, "police.not_filed", "该企业没有备案记录")
    body = record.payload or {}
    return PoliceEnterpriseOut(
        uscc=uscc, name=body.get("name", record.enterprise_name), status=body.get("status", ""),
        filing_version=record.filing_version, types=body.get("types", []), confirmed_at=body.get("confirmed_at"),
        images=[PoliceImageOut(kind=i["kind"], sha256=i["sha256"],
                               url=f"/api/v1/police/enterprises/{uscc}/images/{i['kind']}")
                for i in body.get("images", [])])


@router.get("/enterprises/{uscc}/images/{kind}", responses={**LOOKUP_ERRORS, 200: {"content": {"image/png": {}}}},
            summary="公安查询企业营业执照、公章影像（须公安查询密钥，每次查询留痕）")
async def lookup_image(uscc: str, kind: str, request: Request, key: AgencyKey = Depends(agency_key),
                       uow: UnitOfWork = Depends(get_uow)):
    uscc = uscc.strip().upper()[:30]
    record = await newest_record(uow, uscc)
    image = await image_delivery(uow, record, kind) if record is not None and kind in KINDS else None
    await _logged(uow, key, uscc, f"image:{kind[:20]}", 200 if image else 404)
    if image is None:
        raise AppError(404, "police.image_not_found", "该企业备案记录中没有此影像")
    data = await request.app.state.blobs.get(image.blob_key)
    return Response(content=data, media_type=image.content_type, headers={"Cache-Control": "no-store"})
