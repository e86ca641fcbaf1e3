"""A failed statement's error (which a 500 path logs with its traceback) does not carry its parameters."""
from __future__ import annotations

import pytest
from autocirc_shared.db import Database
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

ID_NUMBER = "110101199003078515"


async def test_a_failed_insert_does_not_echo_personal_data(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE people (id_number TEXT PRIMARY KEY)"))
            await conn.execute(text("INSERT INTO people VALUES (:n)"), {"n": ID_NUMBER})
        with pytest.raises(IntegrityError) as caught:
            async with db.engine.begin() as conn:
                await conn.execute(text("INSERT INTO people VALUES (:n)"), {"n": ID_NUMBER})
        assert ID_NUMBER not in str(caught.value) and "hidden" in str(caught.value)
    finally:
        await db.engine.dispose()
