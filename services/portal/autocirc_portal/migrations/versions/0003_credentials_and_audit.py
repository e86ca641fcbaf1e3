"""credential versions (stale tokens) and the append-only audit log

Revision ID: 0003
Revises: 0002
"""
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


def downgrade() -> None:
    drop_audit_table(op)
    op.drop_table("credential_versions")
