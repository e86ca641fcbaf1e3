"""Events reports consumes."""
from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.events.filing import FilingConfirmed, FilingRevoked
from autocirc_shared.events.identity import EnterpriseRegistered, EnterpriseUpdated
from autocirc_shared.events.transactions import (
    TransactionAmended,
    TransactionDeleted,
    TransactionRecorded,
    TransactionsRecordedSet,
)
from autocirc_shared.messaging.inbox import Subscription

from .catalog import on_brand_approved, on_displacement_added, on_manufacturer_approved, on_model_approved
from .filing import on_filing_confirmed, on_filing_revoked
from .identity import on_enterprise_registered, on_enterprise_updated
from .transactions import apply_events, on_transaction_event

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(ManufacturerApproved, on_manufacturer_approved),
    Subscription(BrandApproved, on_brand_approved),
    Subscription(ModelApproved, on_model_approved),
    Subscription(DisplacementAdded, on_displacement_added),
    Subscription(EnterpriseRegistered, on_enterprise_registered),
    Subscription(EnterpriseUpdated, on_enterprise_updated),
    Subscription(FilingConfirmed, on_filing_confirmed),
    Subscription(FilingRevoked, on_filing_revoked),
    # applied a delivery batch at a time (one transaction, each sums row written once per batch)
    *(Subscription(event, on_transaction_event, batch=apply_events)
      for event in (TransactionRecorded, TransactionAmended, TransactionDeleted, TransactionsRecordedSet)),
]
