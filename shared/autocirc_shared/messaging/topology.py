"""Which service consumes which events: the broker topology, declared by every service.

A RabbitMQ topic exchange drops what no queue is bound to. Consumers declare their own
queue, so an event published before its consumer ever started (a first deploy where catalog
seeds its starter set before filing has run once) would be lost. Every service therefore
declares the whole topology when it connects. ``tests/unit/test_topology.py`` keeps this
table equal to the services' own ``SUBSCRIPTIONS``.
"""
from __future__ import annotations

# what the service runtime subscribes every service to (auth/freshness: stale tokens)
EVERY_SERVICE = ["identity.credentials_changed.v1"]

_OWN: dict[str, list[str]] = {
    "identity": ["audit.recorded.v1", "filing.review_right_applied.v1", "filing.submitted.v1", "filing.confirmed.v1",
                 "filing.rejected.v1"],
    "catalog": [],
    "filing": [
        "catalog.manufacturer_approved.v1",
        "catalog.brand_approved.v1",
        "catalog.model_approved.v1",
        "catalog.displacement_added.v1",
        "identity.enterprise_registered.v1",
        "identity.enterprise_updated.v1",
        "identity.official_changed.v1",
        "identity.residence_change_requested.v1",
        "media_sync.delivery_updated.v1",
    ],
    "media-sync": ["filing.confirmed.v1", "filing.revoked.v1"],
    "transactions": [
        "identity.enterprise_registered.v1",
        "identity.enterprise_updated.v1",
        "filing.confirmed.v1",
        "filing.revoked.v1",
    ],
    "reports": [
        "catalog.manufacturer_approved.v1",
        "catalog.brand_approved.v1",
        "catalog.model_approved.v1",
        "catalog.displacement_added.v1",
        "identity.enterprise_registered.v1",
        "identity.enterprise_updated.v1",
        "filing.confirmed.v1",
        "filing.revoked.v1",
        "transactions.recorded.v1",
        "transactions.amended.v1",
        "transactions.deleted.v1",
        "transactions.recorded_set.v1",
    ],
    "portal": [
        "identity.enterprise_registered.v1",
        "identity.enterprise_updated.v1",
        "identity.official_changed.v1",
        "identity.contact_changed.v1",
        "filing.submitted.v1",
        "filing.confirmed.v1",
        "filing.rejected.v1",
        "filing.revoked.v1",
        "reports.report_reminder.v1",
    ],
}

SUBSCRIBERS: dict[str, list[str]] = {service: [*events, *EVERY_SERVICE] for service, events in _OWN.items()}
