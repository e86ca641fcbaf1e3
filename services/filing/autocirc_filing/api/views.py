"""Reading a filing and shaping it for responses (shared by the enterprise and review routes)."""
from __future__ import annotations

from autocirc_shared.refdata.regions import full_name

from ..domain.prefill import registration_prefill
from ..models.filings import EnterpriseView, Filing, FilingMedia
from .schemas import BrandChoice, FilingOut, FilingSummary, MediaLink, MediaOut, PoliceSync, Registered


def police_sync(m: FilingMedia) -> PoliceSync:
    if m.police_sha256 == m.sha256 and m.police_status:
        return PoliceSync(status=m.police_status, receipt_id=m.police_receipt_id, attempts=m.police_attempts,
                          last_error=m.police_last_error)
    return PoliceSync(status="pending")


def media_url(enterprise_id: str, sha256: str) -> str:
    return f"/api/v1/filings/{enterprise_id}/media/{sha256}"


def confirmed_shas(filing: Filing | None) -> dict[str, str] | None:
    """The images of the last confirmed version by kind (None: never confirmed)."""
    if filing is None or filing.confirmed_media is None:
        return None
    return {r["kind"]: r["sha256"] for r in filing.confirmed_media}


def media_out(m: FilingMedia, filing: Filing | None = None) -> MediaOut:
    confirmed = confirmed_shas(filing)
    return MediaOut(kind=m.kind, sha256=m.sha256, size=m.size, width=m.width, height=m.height,
                    content_type=m.content_type, uploaded_at=m.uploaded_at, police_sync=police_sync(m),
                    url=media_url(m.enterprise_id, m.sha256),
                    under_change=confirmed is not None and confirmed.get(m.kind) != m.sha256)


def confirmed_links(enterprise_id: str, filing: Filing) -> list[MediaLink]:
    return [MediaLink(kind=r["kind"], sha256=r["sha256"], url=media_url(enterprise_id, r["sha256"]),
                      content_type=r["content_type"], size=r["size"]) for r in (filing.confirmed_media or [])]


def in_force_media(filing: Filing, rows: list[FilingMedia]) -> list[MediaOut]:
    """What officials see of a confirmed filing: its confirmed images. An image the enterprise uploaded since is
    its work in progress until it submits the change (as with a saved, unsubmitted field)."""
    if filing.status != "confirmed" or filing.confirmed_media is None:
        return [media_out(m, filing) for m in rows]
    current = {m.kind: m for m in rows}
    out = []
    for ref in filing.confirmed_media:
        row = current.get(ref["kind"])
        if row is not None and row.sha256 == ref["sha256"]:
            out.append(media_out(row, filing))
            continue
        out.append(MediaOut(kind=ref["kind"], sha256=ref["sha256"], size=ref["size"], width=ref.get("width") or 0,
                            height=ref.get("height") or 0, content_type=ref["content_type"],
                            uploaded_at=ref.get("uploaded_at") or filing.confirmed_at,
                            police_sync=PoliceSync(status=ref.get("police_status") or "pending"),
                            url=media_url(filing.enterprise_id, ref["sha256"])))
    return out


def brand_choices(data: dict | None, names: dict[str, str]) -> list[BrandChoice]:
    return [BrandChoice(brand_id=c["brand_id"], brand_name=names.get(c["brand_id"], c["brand_id"]),
                        manufacturer_id=c["manufacturer_id"],
                        manufacturer_name=names.get(c["manufacturer_id"], c["manufacturer_id"]),
                        authorised=bool(c.get("authorised", True)))
            for c in ((data or {}).get("brands") or []) if isinstance(c, dict) and c.get("brand_id")]


def registered(enterprise: EnterpriseView | None) -> Registered | None:
    if enterprise is None:
        return None
    return Registered(name=enterprise.name, uscc=enterprise.uscc, business_licence_no=enterprise.business_licence_no,
                      types=list(enterprise.types))


def filing_out(enterprise_id: str, filing: Filing | None, media: list[FilingMedia],
               enterprise: EnterpriseView | None = None) -> FilingOut:
    if filing is None:
        return FilingOut(enterprise_id=enterprise_id, status="draft", version=0, data=registration_prefill(enterprise),
                         confirmed=None, media=[media_out(m) for m in media], registered=registered(enterprise))
    return FilingOut(
        enterprise_id=enterprise_id, status=filing.status, version=filing.version, data=filing.data,
        confirmed=filing.confirmed_data, confirmed_version=filing.confirmed_version,
        review={"reason": filing.review_reason} if filing.status == "rejected" or filing.review_reason else None,
        media=[media_out(m, filing) for m in media], registered=registered(enterprise))


def summary(filing: Filing, enterprise: EnterpriseView) -> FilingSummary:
    return FilingSummary(enterprise_id=filing.enterprise_id, enterprise_name=enterprise.name, uscc=enterprise.uscc,
                         types=enterprise.types, region_code=enterprise.region_code,
                         region_name=full_name(enterprise.region_code), status=filing.status,
                         version=filing.version, submitted_at=filing.submitted_at)


def residence_change(enterprise: EnterpriseView) -> dict:
    """The requested move as a line of the reviewer's diff (the residence is part of the 备案登记表)."""
    return {"field": "residence", "label": "住所（迁移，待新住所地主管部门确认）",
            "before": full_name(enterprise.region_code),
            "after": full_name(enterprise.pending_region_code) + (enterprise.pending_street or "")}
