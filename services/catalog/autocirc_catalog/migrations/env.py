from autocirc_catalog.models import CatalogBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([CatalogBase.metadata, messaging_metadata])
