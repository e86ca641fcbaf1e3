"""filing's tables."""
from sqlalchemy.orm import DeclarativeBase


class FilingBase(DeclarativeBase):
    pass


from . import (  # noqa: E402  (after the base class the modules register on)
    catalog_projection,  # noqa: F401  (catalog's read-model)
    filings,  # noqa: F401  (registers the tables on FilingBase.metadata)
)
