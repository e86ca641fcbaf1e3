"""Events identity consumes: every service's audit entries, and filing's word that it holds a review right."""
from autocirc_shared.events.audit import AuditRecorded
from autocirc_shared.events.filing import ReviewRightApplied
from autocirc_shared.messaging.inbox import Subscription

from .audit import on_audit_recorded
from .review_rights import on_review_right_applied

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(AuditRecorded, on_audit_recorded),
    Subscription(ReviewRightApplied, on_review_right_applied),
]
