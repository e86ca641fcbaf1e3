"""Officials (商务主管部门用户): created by the admin or a province official, review rights
granted by the province official above them (省级商务主管部门设置审核权限)."""
from __future__ import annotations

from autocirc_shared.auth.dependencies import require_kind
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.clock import as_utc
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import full_name
from autocirc_shared.validation import validate_password
from autocirc_shared.web.dependencies import get_uow
from autocirc_shared.web.pagination import Page, PageParams, page_params
from fastapi import APIRouter, Depends, Response

from ..domain.officials import can_manage, region_matches_level
from ..domain.passwords import Passwords
from ..models import Account
from ..settings import IdentitySettings
from ..usecases import officials
from .deps import passwords_of, settings_of
from .schemas import OfficialIn, OfficialOut, OfficialPatch

router = APIRouter(prefix="/api/v1/officials", tags=["identity"])

LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "district": "区县级"}


def _in_force(a: Account) -> bool:
    return a.review_changed_at is None or (
        a.review_applied_at is not None and as_utc(a.review_applied_at) >= as_utc(a.review_changed_at))


def region_name(code: str | None) -> str | None:
    """The region's Chinese name (全国 for the national level)."""
    if not code:
        return None
    return "全国" if code == "000000" else full_name(code)


def official_out(a: Account) -> OfficialOut:
    return OfficialOut(id=a.id, username=a.username, name=a.name, level=a.level, region_code=a.region_code,
                       region_name=region_name(a.region_code), can_review=a.can_review, in_force=_in_force(a))


@router.post("", status_code=201, response_model=OfficialOut, summary="新增主管部门用户")
async def create_official(body: OfficialIn, actor: Principal = Depends(require_kind("admin", "official")),
                          uow: UnitOfWork = Depends(get_uow), passwords: Passwords = Depends(passwords_of)):
    errors: list[FieldError] = []
    if not region_matches_level(body.level, body.region_code):
        errors.append(FieldError(field="region_code", code="region.level",
                                 message=f"行政区划代码与级别（{LEVEL_NAMES[body.level]}）不符"))
    if issue := validate_password(body.password):
        errors.append(FieldError(field="password", code=issue.code, message=issue.message))
    if errors:
        raise field_errors(422, errors)
    if not can_manage(actor, body.level, body.region_code):
        raise AppError(403, "officials.forbidden", "只有系统管理员或上级省级主管部门可以新增该用户")
    account = await officials.create_official(uow, passwords, actor, username=body.username, password=body.password,
                                              name=body.name, level=body.level, region_code=body.region_code,
                                              can_review=body.can_review)
    return official_out(account)


@router.get("", response_model=Page[OfficialOut], summary="主管部门用户列表（管理员：全部；省级：本省）")
async def list_officials(actor: Principal = Depends(require_kind("admin", "official")),
                         params: PageParams = Depends(page_params), uow: UnitOfWork = Depends(get_uow)):
    if actor.kind == "official" and actor.level != "province":
        raise AppError(403, "officials.forbidden", "只有系统管理员或省级主管部门可以查看")
    items, total = await officials.official_page(uow, actor, params)
    return Page(items=[official_out(a) for a in items], total=total, **params.model_dump())


@router.patch("/{official_id}", response_model=OfficialOut, summary="设置审核权限",
              description="200：备案服务已按新的权限审核（撤销即时生效）；202：已保存，备案服务尚未确认（in_force=false）",
              responses={202: {"model": OfficialOut, "description": "已保存，仍在同步至备案审核"}})
async def set_review_right(official_id: str, body: OfficialPatch, response: Response,
                           actor: Principal = Depends(require_kind("admin", "official")),
                           uow: UnitOfWork = Depends(get_uow),
                           settings: IdentitySettings = Depends(settings_of)):
    account = await officials.official_of(uow, official_id)
    if not can_manage(actor, account.level, account.region_code):
        raise AppError(403, "officials.forbidden", "只有系统管理员或上级省级主管部门可以设置审核权限")
    changed_at = await officials.set_review_right(uow, actor, account, body.can_review)
    await uow.commit()
    out = official_out(account)
    out.in_force = await officials.filing_holds(uow, account.id, changed_at, settings.review_right_wait_seconds)
    if not out.in_force:
        response.status_code = 202
    return out
