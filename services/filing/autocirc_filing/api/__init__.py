"""filing's public routes."""
from fastapi import APIRouter

from . import catalog, enterprise, export, images, review

ROUTERS: list[APIRouter] = [catalog.router, enterprise.router, export.router, images.router, review.router]
