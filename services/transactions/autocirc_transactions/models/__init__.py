"""transactions's tables."""
from sqlalchemy.orm import DeclarativeBase


class TransactionsBase(DeclarativeBase):
    pass


from . import transactions  # noqa: E402,F401  (registers the tables on TransactionsBase.metadata)
from . import imports  # noqa: E402,F401  (bulk-import jobs)
