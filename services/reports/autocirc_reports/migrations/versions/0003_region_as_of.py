"""enterprises.region_as_of (a region announcement applies only if newer); figures follow the region

Revision ID: 0003
Revises: 0002

Before this revision a move updated only ``enterprises.region_code``: the sums, reports and lines
of enterprises that moved are put where their enterprise is now.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MOVED_TABLES = ('transaction_sums', 'reports', 'lines_appraisal_quarterly', 'lines_market_annual',
                'lines_market_monthly', 'lines_new_car_annual', 'lines_new_car_monthly', 'lines_used_car_monthly')


def upgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_as_of', sa.DateTime(timezone=True), nullable=True))
    for table in MOVED_TABLES:
        op.execute(f"UPDATE {table} SET region_code = (SELECT e.region_code FROM enterprises e"
                   f" WHERE e.enterprise_id = {table}.enterprise_id)"
                   f" WHERE EXISTS (SELECT 1 FROM enterprises e WHERE e.enterprise_id = {table}.enterprise_id"
                   f" AND e.region_code <> '' AND e.region_code <> {table}.region_code)")


def downgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('region_as_of')
