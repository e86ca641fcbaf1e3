from autocirc_reports.models import ReportsBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([ReportsBase.metadata, messaging_metadata])
