"""transactions's tables."""
from sqlalchemy.orm import DeclarativeBase


class TransactionsBase(DeclarativeBase):
    pass


from . import (  # noqa: E402  (after the base class the modules register on)
    idempotency,  # noqa: F401  (batch answers per Idempotency-Key)
    imports,  # noqa: F401  (bulk-import jobs)
    transactions,  # noqa: F401  (registers the tables on TransactionsBase.metadata)
)
