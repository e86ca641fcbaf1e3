"""Valid events for the handler tests, each with fresh ids (keyword arguments replace fields)."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from autocirc_shared.events.audit import AuditRecorded
from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.events.filing import (
    FilingConfirmed,
    FilingRejected,
    FilingRevoked,
    FilingSubmitted,
    MediaRef,
    ReviewRightApplied,
)
from autocirc_shared.events.identity import (
    ContactChanged,
    CredentialsChanged,
    EnterpriseRegistered,
    EnterpriseUpdated,
    OfficialChanged,
    Residence,
    ResidenceChangeRequested,
)
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.events.reports import ReportReminder
from autocirc_shared.events.transactions import (
    RecordedItem,
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
    TransactionsRecordedSet,
)

from tests.support.api import make_uscc

DISTRICT = "110101"
RESIDENCE = Residence(province_code="110000", city_code="110100", district_code=DISTRICT, street="东长安街1号")
SHA = "ab" * 32


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def registered(enterprise_id: str | None = None, **fields) -> EnterpriseRegistered:
    return EnterpriseRegistered(**{
        "enterprise_id": enterprise_id or new_id(), "name": "测试二手车有限公司", "uscc": make_uscc(),
        "types": ["used_car_dealer"], "region_code": DISTRICT, "registered_at": now(), "residence": RESIDENCE,
        "filler_name": "张三", **fields})


def updated(enterprise_id: str, region_code: str = "110102", **fields) -> EnterpriseUpdated:
    return EnterpriseUpdated(enterprise_id=enterprise_id, region_code=region_code, updated_at=now(), **fields)


def official(official_id: str | None = None, **fields) -> OfficialChanged:
    return OfficialChanged(**{"official_id": official_id or new_id(), "username": f"off_{uuid.uuid4().hex[:8]}",
                              "level": "district", "region_code": DISTRICT, "can_review": True,
                              "changed_at": now(), **fields})


def contact(account_id: str, email: str = "dealer@example.com", **fields) -> ContactChanged:
    return ContactChanged(**{"account_id": account_id, "kind": "enterprise", "enterprise_id": account_id,
                             "email": email, "changed_at": now(), **fields})


def credentials(account_id: str | None = None) -> CredentialsChanged:
    return CredentialsChanged(account_id=account_id or new_id(), reason="reset", valid_after=now())


def moved(enterprise_id: str, district: str = "110102") -> ResidenceChangeRequested:
    return ResidenceChangeRequested(enterprise_id=enterprise_id, region_code=district, requested_at=now(),
                                    residence={"province_code": "110000", "city_code": "110100",
                                               "district_code": district, "street": "新街1号"})


def media(kind: str = "seal", sha256: str = SHA) -> MediaRef:
    return MediaRef(kind=kind, sha256=sha256, key=f"media/{sha256}", content_type="image/png", size=1000)


def review_right(official_id: str) -> ReviewRightApplied:
    return ReviewRightApplied(official_id=official_id, changed_at=now())


def submitted(enterprise_id: str, version: int = 1, **fields) -> FilingSubmitted:
    return FilingSubmitted(**{"enterprise_id": enterprise_id, "version": version, "status": "submitted",
                              "region_code": DISTRICT, "submitted_at": now(), **fields})


def confirmed(enterprise_id: str, version: int = 1, **fields) -> FilingConfirmed:
    return FilingConfirmed(**{
        "enterprise_id": enterprise_id, "version": version, "enterprise_name": "测试二手车有限公司",
        "uscc": make_uscc(), "business_licence_no": None, "types": ["used_car_dealer"], "region_code": DISTRICT,
        "media": [], "changed_media": [], "confirmed_at": now(), "confirmed_by": new_id(), **fields})


def rejected(enterprise_id: str, version: int = 1) -> FilingRejected:
    return FilingRejected(enterprise_id=enterprise_id, version=version, reason="资料不全", rejected_at=now())


def revoked(enterprise_id: str, version: int = 2, **fields) -> FilingRevoked:
    return FilingRevoked(**{
        "enterprise_id": enterprise_id, "version": version, "revoked_version": version - 1,
        "enterprise_name": "测试二手车有限公司", "uscc": make_uscc(), "business_licence_no": None,
        "types": ["used_car_dealer"], "region_code": DISTRICT, "media": [], "reason": "停业",
        "revoked_at": now(), "revoked_by": new_id(), **fields})


def manufacturer(manufacturer_id: str | None = None) -> ManufacturerApproved:
    return ManufacturerApproved(manufacturer_id=manufacturer_id or new_id(), name="测试汽车制造厂", country="中国",
                                approved_at=now())


def brand(manufacturer_ids: list[str], brand_id: str | None = None) -> BrandApproved:
    return BrandApproved(brand_id=brand_id or new_id(), name="测试牌", manufacturer_ids=manufacturer_ids,
                         approved_at=now())


def model(brand_id: str, manufacturer_id: str, model_id: str | None = None) -> ModelApproved:
    return ModelApproved(model_id=model_id or new_id(), name="测试车型", brand_id=brand_id,
                         manufacturer_id=manufacturer_id, displacements=[1.5], approved_at=now())


def displacement(model_id: str, litres: float = 2.0) -> DisplacementAdded:
    return DisplacementAdded(displacement_id=new_id(), model_id=model_id, litres=litres, added_at=now())


def delivery(enterprise_id: str, kind: str = "seal", sha256: str = SHA, **fields) -> MediaDeliveryUpdated:
    return MediaDeliveryUpdated(**{"enterprise_id": enterprise_id, "kind": kind, "sha256": sha256,
                                   "status": "delivered", "receipt_id": "R-1", "attempts": 1, "updated_at": now(),
                                   **fields})


def reminder(enterprise_id: str, stage: str = "due") -> ReportReminder:
    return ReportReminder(enterprise_id=enterprise_id, kind="used_car_monthly", kind_label="二手车交易月报",
                          period="2024-03", deadline=date(2024, 4, 10), stage=stage, at=now())


def audit(**fields) -> AuditRecorded:
    return AuditRecorded(**{"entry_id": new_id(), "service": "transactions", "at": now(), "actor_id": new_id(),
                            "actor_name": "dealer", "actor_kind": "enterprise", "action": "transactions.export",
                            "subject": "enterprise:x", "region_code": DISTRICT, "details": {"rows": 3}, **fields})


def facts(enterprise_id: str, amount: str = "56800.50", **fields) -> TransactionFacts:
    return TransactionFacts(**{"enterprise_id": enterprise_id, "region_code": DISTRICT,
                               "trade_date": date(2024, 3, 15), "report_category": "passenger_basic",
                               "amount_yuan": Decimal(amount), "trade_type": "direct", "transfer": "local",
                               "usage": "non_operating", "origin": "domestic",
                               "first_registration_date": date(2018, 5, 20), **fields})


def recorded(enterprise_id: str, transaction_id: str | None = None, amount: str = "56800.50") -> TransactionRecorded:
    return TransactionRecorded(transaction_id=transaction_id or new_id(), version=1,
                               facts=facts(enterprise_id, amount), recorded_at=now())


def amended(enterprise_id: str, transaction_id: str, amount: str, version: int = 2) -> TransactionAmended:
    return TransactionAmended(transaction_id=transaction_id, version=version, facts=facts(enterprise_id, amount),
                              amended_at=now())


def deleted(enterprise_id: str, transaction_id: str, version: int = 3) -> TransactionDeleted:
    return TransactionDeleted(transaction_id=transaction_id, version=version, enterprise_id=enterprise_id,
                              deleted_at=now())


def recorded_set(enterprise_id: str, amounts: list[str]) -> TransactionsRecordedSet:
    return TransactionsRecordedSet(items=[RecordedItem(transaction_id=new_id(), facts=facts(enterprise_id, a))
                                          for a in amounts], source="batch", recorded_at=now())
