"""reports's public routes. Fixed paths (``draft``, ``missing``, ``choices``) come before
``/{report_id}``: Starlette matches routes in the order they are added."""
from fastapi import APIRouter

from . import officials, reports

ROUTERS: list[APIRouter] = [*reports.ROUTERS, *officials.ROUTERS, *reports.ITEM_ROUTERS]
