"""identity is the source of accounts; from filing it learns who has filed and how a move was decided."""
from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingSubmitted
from autocirc_shared.messaging.inbox import Subscription

from .filing import on_filing_confirmed, on_filing_rejected, on_filing_submitted

SUBSCRIPTIONS = [
    Subscription(FilingSubmitted, on_filing_submitted),
    Subscription(FilingConfirmed, on_filing_confirmed),
    Subscription(FilingRejected, on_filing_rejected),
]
