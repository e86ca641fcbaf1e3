"""reports's tables."""
from sqlalchemy.orm import DeclarativeBase


class ReportsBase(DeclarativeBase):
    pass


from . import catalog, enterprises, facts, reminders, reports  # noqa: E402,F401  (registers the tables on ReportsBase.metadata)
