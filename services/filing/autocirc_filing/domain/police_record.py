"""The filing record the traffic police receive, from a confirmed version's data (pure)."""
from __future__ import annotations

from typing import Any

from autocirc_shared.events.filing import PoliceRecord
from autocirc_shared.refdata.regions import full_name


def address_text(address: dict[str, Any] | None) -> str | None:
    """``"北京市东城区东长安街1号"``: the most specific region's full name, then the street."""
    if not address:
        return None
    code = address.get("district_code") or address.get("city_code") or address.get("province_code")
    text = (full_name(code) if code else "") + (address.get("street") or "")
    return text or None


def police_record(data: dict[str, Any] | None, authority_region: str | None) -> PoliceRecord:
    data = data or {}
    return PoliceRecord(residence=address_text(data.get("residence")),
                        business_address=address_text(data.get("business_address")),
                        legal_representative=data.get("legal_representative"), authority_region=authority_region)
