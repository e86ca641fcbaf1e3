"""enterprises.pending_region_code: a requested move, reviewed by the new region's official

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_region_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('pending_street', sa.String(length=200), nullable=True))
    op.create_index('ix_enterprises_pending_region_code', 'enterprises', ['pending_region_code'])


def downgrade() -> None:
    op.drop_index('ix_enterprises_pending_region_code', table_name='enterprises')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('pending_street')
        batch_op.drop_column('pending_region_code')
