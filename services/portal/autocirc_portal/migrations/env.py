from autocirc_portal.models import PortalBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([PortalBase.metadata, messaging_metadata])
