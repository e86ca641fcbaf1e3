from __future__ import annotations

from fastapi import Request

from ..domain.passwords import Passwords
from ..settings import IdentitySettings


def settings_of(request: Request) -> IdentitySettings:
    return request.app.state.runtime.settings


def passwords_of(request: Request) -> Passwords:
    return request.app.state.passwords
