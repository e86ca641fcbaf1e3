"""Events identity consumes: every service's audit entries; from filing, that it holds a review right, who has
filed and how a move was decided."""
from autocirc_shared.events.audit import AuditRecorded
from autocirc_shared.events.filing import FilingConfirmed, FilingRejected, FilingSubmitted, ReviewRightApplied
from autocirc_shared.messaging.inbox import Subscription

from .audit import on_audit_recorded
from .filing import on_filing_confirmed, on_filing_rejected, on_filing_submitted
from .review_rights import on_review_right_applied

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(AuditRecorded, on_audit_recorded),
    Subscription(ReviewRightApplied, on_review_right_applied),
    Subscription(FilingSubmitted, on_filing_submitted),
    Subscription(FilingConfirmed, on_filing_confirmed),
    Subscription(FilingRejected, on_filing_rejected),
]
