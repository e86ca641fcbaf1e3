"""enterprises: residence and filler from registration, to pre-fill a new filing

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('residence', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('filler_name', sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('filler_name')
        batch_op.drop_column('residence')
