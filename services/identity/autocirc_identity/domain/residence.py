"""A residence's region, by the same rule as ``Enterprise.region_code`` (district, else city, else province)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def pending_region(residence: Mapping[str, Any]) -> str:
    region: str = residence.get("district_code") or residence.get("city_code") or residence["province_code"]
    return region
