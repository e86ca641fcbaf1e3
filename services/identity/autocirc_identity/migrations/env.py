from autocirc_identity.models import IdentityBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([IdentityBase.metadata, messaging_metadata])
