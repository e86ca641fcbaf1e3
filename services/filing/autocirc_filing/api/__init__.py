"""filing's public routes."""
from fastapi import APIRouter

from . import catalog, enterprise, export, review

ROUTERS: list[APIRouter] = [catalog.router, enterprise.router, export.router, review.router]
