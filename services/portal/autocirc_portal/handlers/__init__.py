"""Events portal consumes: the notifications' sources and what it must know about recipients."""
from __future__ import annotations

from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingRevoked, FilingSubmitted
from autocirc_shared.events.identity import ContactChanged, EnterpriseRegistered, EnterpriseUpdated, OfficialChanged
from autocirc_shared.events.reports import ReportReminder
from autocirc_shared.messaging.inbox import Subscription

from .filing import on_filing_confirmed, on_filing_rejected, on_filing_revoked, on_filing_submitted
from .identity import on_contact_changed, on_enterprise_registered, on_enterprise_updated, on_official_changed
from .reports import on_report_reminder

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(EnterpriseRegistered, on_enterprise_registered),
    Subscription(EnterpriseUpdated, on_enterprise_updated),
    Subscription(OfficialChanged, on_official_changed),
    Subscription(ContactChanged, on_contact_changed),
    Subscription(FilingSubmitted, on_filing_submitted),
    Subscription(FilingConfirmed, on_filing_confirmed),
    Subscription(FilingRejected, on_filing_rejected),
    Subscription(FilingRevoked, on_filing_revoked),
    Subscription(ReportReminder, on_report_reminder),
]
