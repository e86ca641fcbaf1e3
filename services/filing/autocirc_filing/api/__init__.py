"""filing's public routes."""
from fastapi import APIRouter

from . import catalog, enterprise, export, images, public, review

ROUTERS: list[APIRouter] = [catalog.router, enterprise.router, export.router, images.router, public.router,
                            review.router]
