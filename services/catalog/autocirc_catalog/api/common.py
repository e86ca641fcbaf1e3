"""What every catalog route shares: the list filters and the proposals' documented answers."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query

from .schemas import CatalogDuplicate, Status

PROPOSAL_RESPONSES = {409: {"model": CatalogDuplicate, "description": "已存在相同或相近的条目（existing 为该条目）"},
                      422: {"description": "填写有误"}}


@dataclass
class ListQuery:
    q: str | None
    status: str | None


def list_query(q: str | None = Query(None, max_length=50, description="名称或拼音（全拼或首字母，如 byd）"),
               status: Status | None = Query(None, description="审核状态（管理员用 pending 查看待审核队列）"),
               ) -> ListQuery:
    return ListQuery(q, status)
