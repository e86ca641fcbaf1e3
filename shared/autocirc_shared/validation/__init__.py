"""Identifier and input validators.

Each ``validate_*`` returns ``None`` when the value is valid, otherwise an
``Issue(code, message)``.  Validators never normalise: call the matching
``normalise_*`` helper first where one exists.
"""

from .amount import to_chinese_upper, validate_price_upper
from .email import validate_email
from .issue import Issue
from .mobile import validate_mobile
from .org_code import org_code_check_char, validate_org_code
from .password import validate_password
from .plate import normalise_plate, validate_plate
from .resident_id import normalise_resident_id, resident_id_check_char, validate_resident_id
from .uscc import normalise_uscc, uscc_check_char, validate_uscc
from .vin import normalise_vin, validate_vin, vin_check_char, vin_origin, vin_warnings

__all__ = [
    "Issue",
    "normalise_plate",
    "normalise_resident_id",
    "normalise_uscc",
    "normalise_vin",
    "org_code_check_char",
    "resident_id_check_char",
    "to_chinese_upper",
    "uscc_check_char",
    "validate_email",
    "validate_mobile",
    "validate_org_code",
    "validate_password",
    "validate_plate",
    "validate_price_upper",
    "validate_resident_id",
    "validate_uscc",
    "validate_vin",
    "vin_check_char",
    "vin_origin",
    "vin_warnings",
]
