"""The 备案登记表 of the version in force, for the workbook and the printable page (their rendering is the route's)."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobNotFound, BlobStore
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..domain.form_sheet import MEDIA_LABELS, Sheet, build_sheet
from ..models.filings import Filing, FilingMedia
from .reads import brand_names, enterprise_of


async def sheet_in_force(uow: UnitOfWork, principal: Principal, blobs: BlobStore | None = None) -> Sheet:
    """The sheet of the version in force (the confirmed one while edits since wait); with ``blobs``, its images."""
    filing = await uow.session.get(Filing, principal.enterprise_id)
    enterprise = await enterprise_of(uow, principal)
    info = {"name": enterprise.name, "uscc": enterprise.uscc, "business_licence_no": enterprise.business_licence_no,
            "tax_reg_no": enterprise.tax_reg_no, "org_code": enterprise.org_code, "types": enterprise.types}
    if filing is None:
        data, status, version = {}, "draft", 0
    elif filing.status == "confirmed" and filing.confirmed_data is not None:
        # edits saved since the confirmation are not on record until submitted and confirmed
        data, status, version = filing.confirmed_data, filing.status, filing.confirmed_version or filing.version
    else:
        data, status, version = filing.data, filing.status, filing.version
    sheet = build_sheet(info, data, status, version, await brand_names(uow, data))
    if blobs is not None and filing is not None:
        sheet.images = await _images(uow, filing, blobs)
    return sheet


async def _images(uow: UnitOfWork, filing: Filing, blobs: BlobStore) -> list[tuple[str, str, bytes]]:
    if filing.status == "confirmed" and filing.confirmed_media:
        refs = [(r["kind"], r["key"], r["content_type"]) for r in filing.confirmed_media]
    else:
        rows = (await uow.session.scalars(select(FilingMedia).where(
            FilingMedia.enterprise_id == filing.enterprise_id))).all()
        refs = [(r.kind, r.key, r.content_type) for r in rows]
    order = list(MEDIA_LABELS)
    out = []
    for kind, key, content_type in sorted(refs, key=lambda r: order.index(r[0]) if r[0] in order else len(order)):
        try:
            out.append((MEDIA_LABELS.get(kind, kind), content_type, await blobs.get(key)))
        except BlobNotFound:
            continue
    return out
