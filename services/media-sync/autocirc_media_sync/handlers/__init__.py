"""media-sync consumes confirmed filings: their changed images are queued for the police."""
from autocirc_shared.events.filing import FilingConfirmed
from autocirc_shared.messaging.inbox import Subscription

from .filing import on_filing_confirmed

SUBSCRIPTIONS = [Subscription(FilingConfirmed, on_filing_confirmed)]
