"""displacements added to an approved model are reviewed by the admin (status, reason, reviewer)

Revision ID: 0004
Revises: 0003

Displacements that exist already were announced with their model (or at once, before this rule): approved.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("displacements") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("reject_reason", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("reviewed_by", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE displacements SET status = 'approved'")
    op.create_index("ix_displacements_status", "displacements", ["status"])


def downgrade() -> None:
    op.drop_index("ix_displacements_status", table_name="displacements")
    with op.batch_alter_table("displacements") as batch:
        for column in ("reviewed_at", "reviewed_by", "reject_reason", "status"):
            batch.drop_column(column)
