"""portal's tables."""
from .tables import Attachment, Notice, PortalBase

__all__ = ["Attachment", "Notice", "PortalBase"]
