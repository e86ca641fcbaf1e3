"""outbox.envelope stored out of line without compression (PostgreSQL)

An import's set event is ~350 KB of JSON a chunk: PostgreSQL compressed each with pglz on insert (7% of the
server's CPU during a 100,000-row import, perf) and decompressed it again for the relay, for a row that lives
until the relay has published it. EXTERNAL keeps it out of line, uncompressed. SQLite has no such setting.

Revision ID: 0009
Revises: 0008
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outbox ALTER COLUMN envelope SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outbox ALTER COLUMN envelope SET STORAGE EXTENDED")
