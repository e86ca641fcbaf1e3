"""portal's tables."""
from .tables import (
    Attachment,
    Contact,
    KnownEnterprise,
    KnownOfficial,
    Notice,
    Notification,
    OutgoingMail,
    PortalBase,
)

__all__ = ["Attachment", "Contact", "KnownEnterprise", "KnownOfficial", "Notice", "Notification", "OutgoingMail",
           "PortalBase"]
