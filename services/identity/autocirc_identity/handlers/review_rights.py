"""filing confirms it applied a review-right change; the waiting PATCH /officials/{id} then answers."""
from __future__ import annotations

from autocirc_shared.clock import as_utc
from autocirc_shared.events.filing import ReviewRightApplied
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from ..models import Account


async def on_review_right_applied(event: ReviewRightApplied, uow: UnitOfWork) -> None:
    account = await uow.session.get(Account, event.official_id)
    if account is None:
        return
    if account.review_applied_at is None or as_utc(account.review_applied_at) < event.changed_at:
        account.review_applied_at = event.changed_at
