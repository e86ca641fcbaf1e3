from __future__ import annotations

from autocirc_shared.settings import CommonSettings
from pydantic import Field


class TransactionsSettings(CommonSettings):
    import_errors_keep_days: float = Field(
        3, ge=0, description="Days a failed import's upload is kept for its errors workbook (then deleted); "
                             "every other upload is deleted when its job ends")
    import_sweep_seconds: float = Field(3600, gt=0, description="How often expired uploads are looked for")
