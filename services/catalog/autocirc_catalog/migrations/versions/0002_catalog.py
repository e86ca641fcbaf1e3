"""catalog: manufacturers, brands, models, displacements

Revision ID: 0002
Revises: 0001

Name keys are unique per scope among entries that are not rejected: partial unique
indexes, which both PostgreSQL and SQLite support.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status <> 'rejected'")


def _reviewed(*extra: sa.Column) -> list:
    """The columns of models.tables.Reviewable, with a table's own columns after the name."""
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        *extra,
        sa.Column('name_key', sa.String(length=100), nullable=False),
        sa.Column('search_key', sa.String(length=100), nullable=False),
        sa.Column('pinyin', sa.String(length=400), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reject_reason', sa.String(length=500), nullable=True),
        sa.Column('proposed_by', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reviewed_by', sa.String(length=36), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    ]


def _indexes(table: str, *unique_columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_proposed_by'), ['proposed_by'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_status'), ['status'], unique=False)
        batch_op.create_index(f'uq_{table}_name_key', list(unique_columns), unique=True,
                              postgresql_where=ACTIVE, sqlite_where=ACTIVE)


def upgrade() -> None:
    op.create_table('manufacturers', *_reviewed(sa.Column('country', sa.String(length=50), nullable=False)))
    _indexes('manufacturers', 'name_key')

    op.create_table('brands', *_reviewed())
    _indexes('brands', 'name_key')

    op.create_table('brand_manufacturers',
    sa.Column('brand_id', sa.String(length=36), nullable=False),
    sa.Column('manufacturer_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('brand_id', 'manufacturer_id')
    )

    op.create_table('car_models', *_reviewed(
        sa.Column('manufacturer_id', sa.String(length=36), sa.ForeignKey('manufacturers.id'), nullable=False),
        sa.Column('brand_id', sa.String(length=36), sa.ForeignKey('brands.id'), nullable=False)))
    _indexes('car_models', 'manufacturer_id', 'brand_id', 'name_key')
    with op.batch_alter_table('car_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_car_models_brand_id'), ['brand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_car_models_manufacturer_id'), ['manufacturer_id'], unique=False)

    op.create_table('displacements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('litres', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('proposed_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['car_models.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('model_id', 'litres', name='uq_displacements_model_litres')
    )


def downgrade() -> None:
    for table in ('displacements', 'car_models', 'brand_manufacturers', 'brands', 'manufacturers'):
        op.drop_table(table)
