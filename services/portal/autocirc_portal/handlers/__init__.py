"""portal's event subscriptions (none yet: the notices are its own)."""
from __future__ import annotations

from autocirc_shared.messaging.inbox import Subscription

SUBSCRIPTIONS: list[Subscription] = []
