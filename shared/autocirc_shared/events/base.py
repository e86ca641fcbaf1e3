"""Base of every integration event. The routing key is the event's NAME, ``<service>.<event>.v<N>``."""
from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

EVENT_TYPES: dict[str, type[Event]] = {}


class Event(BaseModel):
    """A fact one service tells the others. A breaking change is a new class with a new version."""

    model_config = ConfigDict(frozen=True)
    NAME: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("NAME")
        if name:
            EVENT_TYPES[name] = cls


def event_type(name: str) -> type[Event] | None:
    return EVENT_TYPES.get(name)
