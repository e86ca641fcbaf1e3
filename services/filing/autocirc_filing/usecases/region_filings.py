"""Officials' reads: the region's filings, page by page, and one filing with what its reviewer sees (history, the
change's diff, the brands' names). Who may ask is the route's check; the region is checked here."""
from __future__ import annotations

from dataclasses import dataclass

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within
from autocirc_shared.text_search import contains_text
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import or_, select

from ..domain.diff import filing_diff
from ..models.filings import EnterpriseView, Filing, FilingEvent, FilingMedia
from .reads import brand_names, media_of
from .review import in_region


async def filings_page(uow: UnitOfWork, principal: Principal, status: str | None, q: str | None,
                       region_code: str | None, params: PageParams
                       ) -> tuple[list[tuple[Filing, EnterpriseView]], int]:
    """One page of the filings ever submitted in ``region_code`` (else the official's region; the admin's: all),
    the most recently submitted first, and the total. A move under review shows in both regions."""
    query = (select(Filing, EnterpriseView).join(EnterpriseView, EnterpriseView.enterprise_id == Filing.enterprise_id)
             .where(Filing.ever_submitted))
    if status:
        query = query.where(Filing.status == status)
    if q:
        query = query.where(contains_text(q, EnterpriseView.name, EnterpriseView.uscc))
    scope = region_code or (principal.region_code if principal.kind == "official" else None)
    if scope and (codes := codes_within(scope)) is not None:
        query = query.where(or_(EnterpriseView.region_code.in_(sorted(codes)),
                                EnterpriseView.pending_region_code.in_(sorted(codes))))
    order = (Filing.submitted_at.desc().nulls_last(), Filing.enterprise_id)
    rows, total = await paginate(uow.session, query.order_by(*order), params, scalars=False)
    return [(f, e) for f, e in rows], total


@dataclass
class FilingUnderReview:
    filing: Filing
    enterprise: EnterpriseView
    media: list[FilingMedia]
    history: list[FilingEvent]  # submissions and decisions, oldest first (saves left out)
    diff: list[dict]  # against the last confirmed version, while a change waits; else empty
    names: dict[str, str]  # the names of the brands and manufacturers the filing chose


async def filing_under_review(uow: UnitOfWork, principal: Principal, enterprise_id: str) -> FilingUnderReview:
    """A filing of the official's region as its reviewer sees it; 404 for one never submitted."""
    filing, enterprise = await in_region(uow, principal, enterprise_id)
    if not filing.ever_submitted:
        raise not_found("备案信息")  # nothing for officials yet
    media = await media_of(uow, enterprise_id)
    history = list((await uow.session.scalars(select(FilingEvent).where(
        FilingEvent.enterprise_id == enterprise_id, FilingEvent.action != "save").order_by(FilingEvent.id))).all())
    diff = await _diff(uow, filing, media) if filing.status == "changed" else []
    return FilingUnderReview(filing, enterprise, media, history, diff, await brand_names(uow, filing.data))


async def _diff(uow: UnitOfWork, filing: Filing, media: list[FilingMedia]) -> list[dict]:
    """The change against the last confirmed version, images included, brands by name."""
    names = await brand_names(uow, filing.confirmed_data, filing.data)
    before = None if filing.confirmed_media is None else {r["kind"]: r["sha256"] for r in filing.confirmed_media}
    return filing_diff(filing.confirmed_data, filing.data, media_before=before,
                       media_after={m.kind: m.sha256 for m in media}, names=names)
