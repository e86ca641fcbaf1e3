"""media-sync's tables."""
from .tables import Delivery, MediaHead, MediaSyncBase, StubCall, StubDocument

__all__ = ["Delivery", "MediaHead", "MediaSyncBase", "StubCall", "StubDocument"]
