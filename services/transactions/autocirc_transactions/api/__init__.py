"""transactions's public routes. ``records`` declares ``/{transaction_id:uuid}``, so other routers'
fixed paths under /api/v1/transactions (import template, imports, export) are never captured by it,
whatever the order here."""
from fastapi import APIRouter

from . import batch, export, imports, records, vehicles

ROUTERS: list[APIRouter] = [imports.router, export.router, batch.router, records.router, vehicles.router]
