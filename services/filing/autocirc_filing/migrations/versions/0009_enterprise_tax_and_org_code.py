"""enterprises.tax_reg_no / org_code: 税务登记证 and 组织机构代码证 on the 备案登记表's export and print

Revision ID: 0009
Revises: 0008

Filled from identity.enterprise_registered.v1 of this round on; enterprises registered before show them empty.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_reg_no', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('org_code', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('org_code')
        batch_op.drop_column('tax_reg_no')
