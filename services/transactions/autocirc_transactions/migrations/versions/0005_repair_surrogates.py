"""repair text stored with lone surrogates (refused at the door since; one such row broke every list)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op
from autocirc_shared.validation.text import scrub_surrogates_in

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# JSON columns that hold what the clerk typed (text columns cannot hold a lone surrogate on either database)
COLUMNS = (("transactions", "data"), ("transaction_history", "changes"), ("transaction_history", "snapshot"))


def upgrade() -> None:
    bind = op.get_bind()
    for table, column in COLUMNS:
        # the JSON text holds a surrogate as an escape (\ud800); valid pairs (emoji) match too and stay as they are
        rows = bind.execute(sa.text(f"SELECT id, CAST({column} AS TEXT) FROM {table} "
                                    f"WHERE lower(CAST({column} AS TEXT)) LIKE :p ESCAPE '!'"), {"p": "%\\ud%"}).all()
        update = sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :k").bindparams(sa.bindparam("v", type_=sa.JSON))
        for ident, raw in rows:
            value = json.loads(raw)
            repaired = scrub_surrogates_in(value)
            if repaired != value:
                bind.execute(update, {"v": repaired, "k": ident})


def downgrade() -> None:
    pass  # the repair cannot be undone (and need not be)
