"""notifications: the message centre, its mail outbox, and what identity told about recipients

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("recipient_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notifications_recipient", "notifications", ["recipient_id", "created_at"])
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("to", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False, index=True),
    )
    op.create_table(
        "officials",
        sa.Column("official_id", sa.String(36), primary_key=True),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("can_review", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("recipient_id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(100), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("contacts", "officials", "enterprises", "outgoing_mail"):
        op.drop_table(table)
    op.drop_index("ix_notifications_recipient", table_name="notifications")
    op.drop_table("notifications")
