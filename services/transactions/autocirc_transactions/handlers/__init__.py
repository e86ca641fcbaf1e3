"""Events transactions consumes."""
from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated
from autocirc_shared.messaging.inbox import Subscription

from .enterprises import on_enterprise_registered, on_enterprise_updated, on_filing_confirmed, on_filing_revoked

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(EnterpriseRegistered, on_enterprise_registered),
    Subscription(EnterpriseUpdated, on_enterprise_updated),
    Subscription(FilingConfirmed, on_filing_confirmed),
    Subscription(FilingRevoked, on_filing_revoked),
]
