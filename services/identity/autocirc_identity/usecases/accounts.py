"""Turning stored accounts into what tokens and /me say about them."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.refdata.regions import full_name

from ..models import Account, Enterprise


def principal_of(account: Account, enterprise: Enterprise | None) -> Principal:
    return Principal(
        account_id=account.id,
        username=account.username,
        kind=account.kind,
        enterprise_id=account.enterprise_id,
        types=list(enterprise.types) if enterprise else [],
        region_code=enterprise.region_code if enterprise else account.region_code,
        level=account.level,
        can_review=account.can_review,
        must_change_password=account.must_change_password,
    )


def enterprise_profile(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.id, "name": e.name, "has_uscc": e.has_uscc, "uscc": e.uscc,
        "business_licence_no": e.business_licence_no, "org_code": e.org_code, "tax_reg_no": e.tax_reg_no,
        "residence": {"province_code": e.province_code, "city_code": e.city_code,
                      "district_code": e.district_code, "street": e.street},
        "residence_name": full_name(e.region_code) + e.street,
        "types": list(e.types), "filler_name": e.filler_name, "filler_mobile": e.filler_mobile,
        "pending_residence": e.pending_residence,
    }


def set_password(account: Account, password_hash: str, *, temporary: bool = False) -> None:
    """The one way a password changes (own change, an official's reset, a self-service reset): whatever
    a change must also end happens here."""
    account.password_hash = password_hash
    account.must_change_password = temporary
    account.password_changed_at = datetime.now(UTC)


def reserved_mobile(account: Account, enterprise: Enterprise | None) -> str | None:
    """An enterprise's reserved mobile is the filler's mobile from registration; an official's its own."""
    return enterprise.filler_mobile if enterprise else account.mobile
