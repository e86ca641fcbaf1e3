"""Event contracts: one module per owning service. Importing this package registers them all."""
from . import audit, catalog, filing, identity, media_sync, transactions  # noqa: F401  (registers)
from .base import EVENT_TYPES, Event, event_type

__all__ = ["EVENT_TYPES", "Event", "event_type"]
