"""accounts.name as long as an enterprise's name (200); an index on the enterprise's region

Revision ID: 0002
Revises: 0001

An enterprise's account carries the enterprise's name, which may have 200 characters; at 100, PostgreSQL
refused longer ones with a DataError (500). The enterprise's region is its most specific non-empty residence
code (``Enterprise.region_code``: 东莞/中山/儋州/嘉峪关 have no district, 港澳台 no city), which officials'
lists filter on, hence the expression index.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

REGION = "coalesce(nullif(district_code, ''), nullif(city_code, ''), province_code)"


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=100), type_=sa.String(length=200),
                              existing_nullable=False)
    op.create_index('ix_enterprises_region_code', 'enterprises', [sa.text(REGION)], unique=False)


def downgrade() -> None:
    op.drop_index('ix_enterprises_region_code', table_name='enterprises')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=200), type_=sa.String(length=100),
                              existing_nullable=False)
