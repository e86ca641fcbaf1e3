"""vehicle history: each record's mileage as a column, the enterprise's USCC in the projection, import warnings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mileage_km', sa.Numeric(precision=9, scale=1), nullable=True))
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warnings', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('warning_count', sa.Integer(), nullable=True))
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uscc', sa.String(length=18), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE transactions SET mileage_km = (data::jsonb #>> '{deal,mileage_km}')::numeric "
                   "WHERE data::jsonb #>> '{deal,mileage_km}' IS NOT NULL")
    else:
        op.execute("UPDATE transactions SET mileage_km = json_extract(data, '$.deal.mileage_km') "
                   "WHERE json_extract(data, '$.deal.mileage_km') IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_column('warning_count')
        batch_op.drop_column('warnings')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('uscc')
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_column('mileage_km')
