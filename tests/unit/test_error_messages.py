"""Pydantic's errors in Chinese: a length check tells a text from a list."""
from __future__ import annotations

from typing import Annotated

import pytest
from autocirc_shared.errors import translate_validation_errors
from pydantic import BaseModel, BeforeValidator, Field, ValidationError


class Form(BaseModel):
    name: Annotated[str, BeforeValidator(str.strip), Field(max_length=3)]  # the generic check (after a validator)
    code: Annotated[str, Field(min_length=2, max_length=3)]  # pydantic-core's string check
    tags: Annotated[list[str], Field(min_length=1, max_length=2)]


@pytest.mark.parametrize(("data", "expected"), [
    ({"name": "abcd"}, ("field.too_long", "内容太长")),
    ({"code": "abcd"}, ("field.too_long", "内容太长")),
    ({"code": "a"}, ("field.too_short", "内容太短")),
    ({"tags": ["a", "b", "c"]}, ("field.too_long", "项目过多")),
    ({"tags": []}, ("field.too_short", "至少需要填写一项")),
])
def test_a_length_error_is_told_as_a_text_s_or_a_list_s(data, expected):
    with pytest.raises(ValidationError) as caught:
        Form.model_validate({"name": "ab", "code": "ab", "tags": ["a"], **data})
    [error] = translate_validation_errors(caught.value.errors())
    assert (error.code, error.message) == expected
