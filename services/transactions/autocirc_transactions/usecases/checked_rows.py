"""A checked record as the plain tuple the store takes: its columns and its form as JSON text.

Made where the record is checked (in the import's checker process, in a batch POST) and stored as it is,
so nothing is parsed or validated twice. No database here: the import's child processes load it.
"""
from __future__ import annotations

from typing import Any

from ..domain.schemas import TransactionIn

# What a checked record contributes, whatever the enterprise: see checked_row.
CHECKED = ("buyer_name", "seller_name", "vin", "plate_number", "vehicle_type", "report_category", "usage", "origin",
           "first_registration_date", "trade_date", "trade_type", "price", "transfer_region_code", "transfer_office",
           "mileage_km", "data", "initial_purchase_date")
AT = {name: i for i, name in enumerate(CHECKED)}
CheckedRow = tuple[Any, ...]  # a checked record's column values, in CHECKED order


def checked_row(record: TransactionIn) -> CheckedRow:
    """A record from ``check_transaction`` as the tuple the store takes (``data`` is the form's JSON text)."""
    vehicle, deal = record.vehicle, record.deal
    return (record.buyer.name, record.seller.name, vehicle.vin, vehicle.plate_number, vehicle.vehicle_type,
            vehicle.report_category, vehicle.usage, vehicle.origin, vehicle.first_registration_date,
            deal.trade_date, deal.trade_type, deal.price, deal.transfer_region_code, deal.transfer_office,
            deal.mileage_km, record.model_dump_json(), deal.initial_purchase_date)


def sale_key(row: CheckedRow) -> tuple:
    """``(vin, trade_date, mileage_km, plate_number, first_registration_date, initial_purchase_date)`` of a
    checked row, for the plausibility warnings."""
    return (row[AT["vin"]], row[AT["trade_date"]], row[AT["mileage_km"]], row[AT["plate_number"]],
            row[AT["first_registration_date"]], row[AT["initial_purchase_date"]])


def duplicate_key(row: CheckedRow) -> tuple:
    return row[AT["vin"]], row[AT["trade_date"]]
