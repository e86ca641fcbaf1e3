from autocirc_filing.models import FilingBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([FilingBase.metadata, messaging_metadata])
