"""Entry names: how they are cleaned and what makes a model name non-standard."""
from __future__ import annotations

from autocirc_shared.errors import FieldError

from .normalise import glued_displacement, trim_words_in


def clean(name: str) -> str:
    return " ".join(name.split())


def litres_label(litres: float) -> str:
    return f"{litres:.1f}L"


def model_name_issue(name: str) -> FieldError | None:
    """Models take standard names only: no trim level, no displacement (those are separate)."""
    if trims := trim_words_in(name):
        return FieldError(field="name", code="catalog.trim_word",
                          message=f"车型请填写标准名称，不能包含配置级别“{'、'.join(trims)}”，请删除后再提交")
    if displacement := glued_displacement(name):
        return FieldError(field="name", code="catalog.displacement_in_name",
                          message=f"车型名称不能包含排量“{displacement}”，排量请单独填写")
    return None
