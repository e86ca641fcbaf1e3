"""media-sync's tables."""
from .tables import Delivery, MediaSyncBase, StubCall, StubDocument

__all__ = ["Delivery", "MediaSyncBase", "StubCall", "StubDocument"]
