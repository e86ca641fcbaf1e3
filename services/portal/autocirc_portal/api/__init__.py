"""portal's public routes."""
from fastapi import APIRouter

from . import notices, notifications

ROUTERS: list[APIRouter] = [notices.router, notifications.router]
