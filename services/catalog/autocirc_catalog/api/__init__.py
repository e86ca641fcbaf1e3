"""catalog's public routes."""
from fastapi import APIRouter

from . import brands, car_models, manufacturers, review

ROUTERS: list[APIRouter] = [manufacturers.router, brands.router, car_models.router, car_models.displacements_router,
                          review.router]
