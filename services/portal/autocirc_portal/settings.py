from __future__ import annotations

from autocirc_shared.settings import CommonSettings


class PortalSettings(CommonSettings):
    pass
