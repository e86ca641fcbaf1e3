"""credential versions (stale tokens) and the append-only audit log; the merged audit feed; when a review right changed and when filing applied it

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from autocirc_shared.audit import create_audit_table, drop_audit_table
from autocirc_shared.auth.freshness import create_credential_versions_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_credential_versions_table(op)
    create_audit_table(op)
    create_audit_table(op, "audit_feed")  # every service's entries, from audit.recorded.v1
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_applied_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("review_applied_at")
        batch_op.drop_column("review_changed_at")
    drop_audit_table(op, "audit_feed")
    drop_audit_table(op)
    op.drop_table("credential_versions")
