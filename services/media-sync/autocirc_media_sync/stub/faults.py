"""Fault switches of the police stub (process-local)."""
from __future__ import annotations

import asyncio
import random
from typing import Literal

from pydantic import BaseModel, Field

Fault = Literal["down", "refused", "answer_lost"]


class PoliceStubFaults(BaseModel):
    down: bool = Field(False, description="停机：所有请求返回 503")
    fail_rate: float = Field(0.0, ge=0, le=1,
                             description="随机失败比例（返回 503，其中一半在已保存后才失败，模拟应答丢失）")
    delay_ms: int = Field(0, ge=0, le=600_000, description="每个请求延迟的毫秒数")
    lose_answer_rate: float = Field(0.0, ge=0, le=1,
                                    description="应答丢失比例：已保存后返回 503（发送方须重试，且不得重复保存）")


class FaultInjector:
    def __init__(self, rng: random.Random | None = None) -> None:
        self.current = PoliceStubFaults()
        self.rng = rng or random.Random()

    def draw(self) -> Fault | None:
        """Half the random failures happen after the document was stored: the sender must retry
        without creating a duplicate, which is exactly what idempotency keys are for."""
        if self.current.down:
            return "down"
        if self.rng.random() < self.current.fail_rate:
            return "answer_lost" if self.rng.random() < 0.5 else "refused"
        if self.rng.random() < self.current.lose_answer_rate:
            return "answer_lost"
        return None

    async def delay(self) -> None:
        if self.current.delay_ms:
            await asyncio.sleep(self.current.delay_ms / 1000)
