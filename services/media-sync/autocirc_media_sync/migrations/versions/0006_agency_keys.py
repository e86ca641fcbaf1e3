"""agency keys for the police look-up, and the access log of every look-up

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency_keys',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('agency', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    op.create_table('police_access_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agency', sa.String(length=100), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=30), nullable=False),
    sa.Column('what', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('police_access_log', schema=None) as batch_op:
        batch_op.create_index('ix_police_access_log_uscc_at', ['uscc', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_police_access_log_at'), ['at'], unique=False)


def downgrade() -> None:
    op.drop_table('police_access_log')
    op.drop_table('agency_keys')
