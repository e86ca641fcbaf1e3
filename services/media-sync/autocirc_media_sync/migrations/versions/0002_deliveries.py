"""deliveries to the police, and what the police stub received

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:22:55.496404
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deliveries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=30), nullable=True),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_key', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('filing_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=True),
    sa.Column('receipt_id', sa.String(length=100), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('police_stub_calls',
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('uscc', sa.String(length=30), nullable=True),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('faults', sa.Integer(), nullable=False),
    sa.Column('replays', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('idempotency_key')
    )
    with op.batch_alter_table('police_stub_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_police_stub_calls_uscc'), ['uscc'], unique=False)

    op.create_table('police_stub_documents',
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('receipt_id', sa.String(length=40), nullable=False),
    sa.Column('uscc', sa.String(length=30), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('idempotency_key'),
    sa.UniqueConstraint('receipt_id')
    )
    with op.batch_alter_table('police_stub_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_police_stub_documents_uscc'), ['uscc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('police_stub_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_police_stub_documents_uscc'))

    op.drop_table('police_stub_documents')
    with op.batch_alter_table('police_stub_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_police_stub_calls_uscc'))

    op.drop_table('police_stub_calls')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_enterprise_id'))
        batch_op.drop_index('ix_deliveries_due')

    op.drop_table('deliveries')
