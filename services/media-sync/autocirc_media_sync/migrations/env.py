from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

from autocirc_media_sync.models import MediaSyncBase

run_env([MediaSyncBase.metadata, messaging_metadata])
