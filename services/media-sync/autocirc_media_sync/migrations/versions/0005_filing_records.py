"""filing records in the police feed: a delivery's payload, and what the stub accepted per filing version

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
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))
    op.create_table('police_stub_filings',
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('receipt_id', sa.String(length=40), nullable=False),
    sa.Column('uscc', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filing_version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('idempotency_key'),
    sa.UniqueConstraint('receipt_id')
    )
    with op.batch_alter_table('police_stub_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_police_stub_filings_uscc'), ['uscc'], unique=False)


def downgrade() -> None:
    op.drop_table('police_stub_filings')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('payload')
