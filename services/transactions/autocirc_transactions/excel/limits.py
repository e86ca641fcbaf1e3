"""Import limits and job timing, read from the environment (prefix ``AUTOCIRC_IMPORT_``)."""
from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ImportLimits(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTOCIRC_IMPORT_", extra="ignore")

    max_bytes: int = Field(50 * 1024 * 1024, description="Largest upload accepted (compressed .xlsx bytes)")
    max_uncompressed_bytes: int = Field(768 * 1024 * 1024, description="Sum of the uncompressed sizes of all parts")
    max_ratio: int = Field(200, description="Largest uncompressed/compressed ratio of one part (zip bombs)")
    max_parts: int = Field(2000, description="Most parts (files) inside the workbook")
    max_rows: int = Field(200_000, description="Most data rows in one import")
    max_listed_errors: int = Field(10_000, description="Most cell errors kept per job (the count is always exact)")
    parallel_rows: int = Field(10_000, description="From this many data rows on (with more than one core), a child "
                               "process reads the rows and another converts and checks them while this one stores "
                               "them; 0: never. 100,000 rows on the 2-core bench machine: 8.7-9.6 s (one child "
                               "reading: 11.7-14.0 s; none: 22 s), peak 237-241 MiB; 20,000 rows: 2.4-2.5 s")
    chunk_rows: int = Field(500, description="Rows validated per step; progress is saved after each step")
    lease_seconds: float = Field(60.0, description="A running job whose heartbeat is older than this is taken over")
    poll_seconds: float = Field(1.0, description="How often an idle worker looks for queued jobs")
    max_attempts: int = Field(3, description="Runs of one job (crashes) before it is failed")


@lru_cache(maxsize=1)
def import_limits() -> ImportLimits:
    return ImportLimits()
