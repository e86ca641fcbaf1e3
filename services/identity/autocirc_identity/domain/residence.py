"""A residence's region, by the same rule as ``Enterprise.region_code`` (district, else city, else province)."""
from __future__ import annotations


def pending_region(residence: dict) -> str:
    return residence.get("district_code") or residence.get("city_code") or residence["province_code"]
