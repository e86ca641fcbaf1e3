"""filing's tables."""
from sqlalchemy.orm import DeclarativeBase


class FilingBase(DeclarativeBase):
    pass


from . import filings  # noqa: E402,F401  (registers the tables on FilingBase.metadata)
from . import catalog_projection  # noqa: E402,F401  (catalog's read-model)
