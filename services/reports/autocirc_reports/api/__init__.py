"""reports's public routes. Fixed paths (``draft``, ``missing``, ``choices``, ``periods``, ``discrepancies``) come before
``/{report_id}``: Starlette matches routes in the order they are added."""
from fastapi import APIRouter

from . import officials, reconciliation, reports

ROUTERS: list[APIRouter] = [*reports.ROUTERS, *officials.ROUTERS, *reconciliation.ROUTERS, *reports.ITEM_ROUTERS]
