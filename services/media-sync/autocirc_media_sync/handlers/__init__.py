"""media-sync consumes confirmed and revoked filings: their records, and a confirmation's changed images,
are queued for the police."""
from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.messaging.inbox import Subscription

from .filing import on_filing_confirmed, on_filing_revoked

SUBSCRIPTIONS = [Subscription(FilingConfirmed, on_filing_confirmed), Subscription(FilingRevoked, on_filing_revoked)]
