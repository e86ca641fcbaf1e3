from autocirc_media_sync.models import MediaSyncBase
from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env

run_env([MediaSyncBase.metadata, messaging_metadata])
