from autocirc_shared.messaging.tables import messaging_metadata
from autocirc_shared.migrations import run_env
from autocirc_transactions.models import TransactionsBase

run_env([TransactionsBase.metadata, messaging_metadata])
