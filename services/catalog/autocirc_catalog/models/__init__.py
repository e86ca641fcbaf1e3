"""catalog's tables."""
from .tables import Brand, CarModel, CatalogBase, Displacement, Manufacturer, Reviewable, brand_manufacturers

__all__ = ["Brand", "CarModel", "CatalogBase", "Displacement", "Manufacturer", "Reviewable", "brand_manufacturers"]
