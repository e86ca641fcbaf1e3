"""The declared broker topology matches what each service actually subscribes to."""
import importlib

from autocirc_gateway.settings import SERVICES
from autocirc_shared.messaging.topology import SUBSCRIBERS
from autocirc_shared.service import RUNTIME_SUBSCRIPTIONS


def test_topology_lists_exactly_each_services_subscriptions():
    for service in SERVICES:
        module = importlib.import_module(f"autocirc_{service.replace('-', '_')}.handlers")
        names = sorted(sub.event.NAME for sub in [*module.SUBSCRIPTIONS, *RUNTIME_SUBSCRIPTIONS])
        assert names == sorted(SUBSCRIBERS.get(service, [])), service
