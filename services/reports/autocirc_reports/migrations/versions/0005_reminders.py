"""reminders_sent: owed reports announced as due or overdue, once each

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminders_sent',
        sa.Column('enterprise_id', sa.String(36), primary_key=True),
        sa.Column('kind', sa.String(30), primary_key=True),
        sa.Column('period', sa.String(10), primary_key=True),
        sa.Column('stage', sa.String(8), primary_key=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('reminders_sent')
