"""filing's public routes."""
from fastapi import APIRouter

from . import catalog, enterprise, export, public, review

ROUTERS: list[APIRouter] = [catalog.router, enterprise.router, export.router, public.router, review.router]
