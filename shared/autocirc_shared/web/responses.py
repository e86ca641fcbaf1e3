"""The services' default JSON response: one stored string that UTF-8 cannot encode never fails a whole list."""
from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

from ..validation.text import scrub_surrogates


class SafeJSONResponse(JSONResponse):
    """FastAPI's JSONResponse, but a lone surrogate left in a stored row (refused at the door since, repaired by
    migration) is sent as U+FFFD instead of raising mid-response (a 500 for every row of the page)."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return scrub_surrogates(text).encode("utf-8")
