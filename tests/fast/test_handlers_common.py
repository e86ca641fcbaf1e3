"""What every service consumes: identity's password resets (``identity.credentials_changed.v1``)."""
from __future__ import annotations

import ast
import importlib
import typing
from pathlib import Path

import pytest
from autocirc_gateway.settings import SERVICES

from tests.fast import events


@pytest.mark.parametrize("service", SERVICES)
async def test_credentials_changed_is_kept_once_by_every_service(lone, service):
    alone = await lone(service)
    event = events.credentials()
    await alone.deliver_twice(event)
    rows = await alone.rows("SELECT valid_after_us FROM credential_versions WHERE account_id = :a", a=event.account_id)
    assert rows == [{"valid_after_us": int(event.valid_after.timestamp() * 1_000_000)}]


def delivered_in(path: Path) -> set[str]:
    """The event names a handler test module builds with the factories of ``tests/fast/events.py``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "events"):
            factory = getattr(events, node.func.attr)
            returned = typing.get_type_hints(factory).get("return")
            if returned is not None and hasattr(returned, "NAME"):
                names.add(returned.NAME)
    return names


@pytest.mark.parametrize("service", [s for s in SERVICES if s != "catalog"])  # catalog consumes nothing
def test_every_subscription_of_the_service_has_its_handler_test(service):
    """A new subscription needs its test in ``test_handlers_<service>.py`` (delivered twice there)."""
    module = importlib.import_module(f"autocirc_{service.replace('-', '_')}.handlers")
    subscribed = {subscription.event.NAME for subscription in module.SUBSCRIPTIONS}
    tested = delivered_in(Path(__file__).with_name(f"test_handlers_{service.replace('-', '_')}.py"))
    assert subscribed - tested == set(), f"{service}: handlers without a fast test"


def test_catalog_consumes_nothing():
    assert importlib.import_module("autocirc_catalog.handlers").SUBSCRIPTIONS == []
