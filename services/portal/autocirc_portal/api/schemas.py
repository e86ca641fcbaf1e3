"""Request and response bodies of the portal's API."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Category = Literal["policy", "news", "notice", "download"]


class NoticeIn(BaseModel):
    category: Category = Field(description="栏目：policy 政策发布 / news 综合信息 / notice 重要通知 / download 表格下载")
    title: str = Field(min_length=1, max_length=200, description="标题")
    body: str = Field("", max_length=200_000, description="正文（富文本 HTML；脚本、事件属性、javascript: 链接不允许）")


class AttachmentOut(BaseModel):
    id: str
    filename: str = Field(description="文件名")
    size: int | None = Field(None, description="字节数")
    content_type: str | None = None
    url: str = Field(description="下载地址")


class NoticeSummary(BaseModel):
    id: str
    category: Category
    category_label: str = Field(description="栏目名称")
    title: str = Field(description="标题")
    published_at: datetime = Field(description="发布时间")
    region_code: str = Field(description="发布地区（000000 为全国）")
    region_name: str = Field(description="发布单位所在地区")
    attachments: list[AttachmentOut]


class NoticeOut(NoticeSummary):
    body: str = Field(description="正文（已净化的 HTML）")
    updated_at: datetime


class NoticeHome(BaseModel):
    """The home page: the latest notices of each category."""
    policy: list[NoticeSummary]
    news: list[NoticeSummary]
    notice: list[NoticeSummary]
    download: list[NoticeSummary]
