"""catalog projection: the approved catalog as catalog's events announce it

Revision ID: 0003
Revises: 0002

No foreign keys on purpose: the events may arrive in any order.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_brand_manufacturers',
    sa.Column('brand_id', sa.String(length=36), nullable=False),
    sa.Column('manufacturer_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('brand_id', 'manufacturer_id')
    )
    with op.batch_alter_table('catalog_brand_manufacturers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_brand_manufacturers_manufacturer_id'), ['manufacturer_id'],
                              unique=False)

    op.create_table('catalog_brands',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('catalog_displacements',
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('litres', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.PrimaryKeyConstraint('model_id', 'litres')
    )
    op.create_table('catalog_manufacturers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=50), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('catalog_models',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('brand_id', sa.String(length=36), nullable=False),
    sa.Column('manufacturer_id', sa.String(length=36), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catalog_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_models_brand_id'), ['brand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_models_manufacturer_id'), ['manufacturer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('catalog_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_models_manufacturer_id'))
        batch_op.drop_index(batch_op.f('ix_catalog_models_brand_id'))

    op.drop_table('catalog_models')
    op.drop_table('catalog_manufacturers')
    op.drop_table('catalog_displacements')
    op.drop_table('catalog_brands')
    with op.batch_alter_table('catalog_brand_manufacturers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_brand_manufacturers_manufacturer_id'))

    op.drop_table('catalog_brand_manufacturers')
