"""enterprises.filed and pending_residence: a filed enterprise's move waits for the new region's confirmation

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
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('pending_residence', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('pending_residence')
        batch_op.drop_column('filed')
