"""Events filing consumes."""
from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.events.identity import (
    EnterpriseRegistered,
    EnterpriseUpdated,
    OfficialChanged,
    ResidenceChangeRequested,
)
from autocirc_shared.events.media_sync import MediaDeliveryUpdated
from autocirc_shared.messaging.inbox import Subscription

from .catalog import on_brand_approved, on_displacement_added, on_manufacturer_approved, on_model_approved
from .identity import (
    on_enterprise_registered,
    on_enterprise_updated,
    on_official_changed,
    on_residence_change_requested,
)
from .media_sync import on_delivery_updated

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(ManufacturerApproved, on_manufacturer_approved),
    Subscription(BrandApproved, on_brand_approved),
    Subscription(ModelApproved, on_model_approved),
    Subscription(DisplacementAdded, on_displacement_added),
    Subscription(EnterpriseRegistered, on_enterprise_registered),
    Subscription(EnterpriseUpdated, on_enterprise_updated),
    Subscription(OfficialChanged, on_official_changed),
    Subscription(ResidenceChangeRequested, on_residence_change_requested),
    Subscription(MediaDeliveryUpdated, on_delivery_updated),
]
