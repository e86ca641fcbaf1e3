"""The result type shared by every validator.

Validators return ``None`` when the value is valid, otherwise an ``Issue``:
``code`` is stable and machine-readable (APIs and tests key on it), ``message``
is the Chinese text shown to the user.
"""

from __future__ import annotations

from typing import NamedTuple


class Issue(NamedTuple):
    code: str
    message: str
