"""media-sync's tables."""
from .tables import AgencyKey, Delivery, MediaHead, MediaSyncBase, PoliceAccess, StubCall, StubDocument, StubFiling

__all__ = ["AgencyKey", "Delivery", "PoliceAccess", "MediaHead", "MediaSyncBase", "StubCall", "StubDocument", "StubFiling"]
