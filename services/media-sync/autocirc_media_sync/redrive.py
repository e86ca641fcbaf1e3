"""``python -m autocirc_media_sync.redrive [--enterprise-id ID]``: re-queue every failed delivery.

Works beside running replicas: it only resets rows and writes the events to the outbox, which
the running service's relay publishes; its workers pick the rows up at their next poll.
"""
from __future__ import annotations

import argparse
import asyncio

from autocirc_shared.db import service_database
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from .main import NAME
from .settings import MediaSyncSettings
from .usecases.deliveries import redrive_failed


async def run(enterprise_id: str | None = None, settings: MediaSyncSettings | None = None) -> int:
    db = service_database(settings or MediaSyncSettings(), NAME, pool_size=1)
    try:
        async with UnitOfWork(db, NAME) as uow:
            count = await redrive_failed(uow, enterprise_id)
            await uow.commit()
        return count
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="将投递失败的影像重新排队推送公安")
    parser.add_argument("--enterprise-id", help="只处理该企业的记录")
    args = parser.parse_args(argv)
    count = asyncio.run(run(args.enterprise_id))
    print(f"已将 {count} 条投递失败的记录重新排队")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
