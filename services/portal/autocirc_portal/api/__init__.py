"""portal's public routes."""
from fastapi import APIRouter

from . import notices

ROUTERS: list[APIRouter] = [notices.router]
