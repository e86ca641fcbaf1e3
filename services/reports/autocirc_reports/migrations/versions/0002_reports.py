"""reports: enterprises, catalogue projection, transaction facts and sums, reports and their lines

Revision ID: 0002
Revises: 0001

No foreign keys on the projections: events arrive in any order.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_brands',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('catalog_displacements',
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('litres', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.PrimaryKeyConstraint('model_id', 'litres')
    )
    op.create_table('catalog_manufacturers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('catalog_models',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('brand_id', sa.String(length=36), nullable=False),
    sa.Column('manufacturer_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catalog_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_models_brand_id'), ['brand_id'], unique=False)

    op.create_table('enterprise_kinds',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'enterprise_id')
    )
    with op.batch_alter_table('enterprise_kinds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_kinds_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('enterprises',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('business_licence_no', sa.String(length=30), nullable=True),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('filing_version', sa.Integer(), nullable=False),
    sa.Column('first_confirmed_on', sa.Date(), nullable=True),
    sa.Column('brands', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('enterprise_id')
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_region_code'), ['region_code'], unique=False)

    op.create_table('lines_appraisal_quarterly',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('trade_purpose_count', sa.Integer(), nullable=False),
    sa.Column('other_purpose_count', sa.Integer(), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('fee_income_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_appraisal_quarterly', schema=None) as batch_op:
        batch_op.create_index('ix_lines_appraisal_quarterly_enterprise_period', ['enterprise_id', 'period'],
                              unique=False)
        batch_op.create_index('ix_lines_appraisal_quarterly_period_region', ['period', 'region_code'], unique=False)

    op.create_table('lines_market_annual',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('business_area_m2', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('resident_merchant_count', sa.Integer(), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.Column('trade_count', sa.Integer(), nullable=False),
    sa.Column('trade_amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('revenue_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('profit_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_market_annual', schema=None) as batch_op:
        batch_op.create_index('ix_lines_market_annual_enterprise_period', ['enterprise_id', 'period'], unique=False)
        batch_op.create_index('ix_lines_market_annual_period_region', ['period', 'region_code'], unique=False)

    op.create_table('lines_market_monthly',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('direct_count', sa.Integer(), nullable=False),
    sa.Column('consignment_count', sa.Integer(), nullable=False),
    sa.Column('local_transfer_count', sa.Integer(), nullable=False),
    sa.Column('out_transfer_count', sa.Integer(), nullable=False),
    sa.Column('operating_count', sa.Integer(), nullable=False),
    sa.Column('non_operating_count', sa.Integer(), nullable=False),
    sa.Column('domestic_count', sa.Integer(), nullable=False),
    sa.Column('imported_count', sa.Integer(), nullable=False),
    sa.Column('age_le_3', sa.Integer(), nullable=False),
    sa.Column('age_3_5', sa.Integer(), nullable=False),
    sa.Column('age_5_10', sa.Integer(), nullable=False),
    sa.Column('age_gt_10', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_market_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_lines_market_monthly_enterprise_period', ['enterprise_id', 'period'], unique=False)
        batch_op.create_index('ix_lines_market_monthly_period_region', ['period', 'region_code'], unique=False)

    op.create_table('lines_new_car_annual',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('sales_count', sa.Integer(), nullable=False),
    sa.Column('sales_amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('total_assets_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('business_area_m2', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_new_car_annual', schema=None) as batch_op:
        batch_op.create_index('ix_lines_new_car_annual_enterprise_period', ['enterprise_id', 'period'], unique=False)
        batch_op.create_index('ix_lines_new_car_annual_period_region', ['period', 'region_code'], unique=False)

    op.create_table('lines_new_car_monthly',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('manufacturer_id', sa.String(length=36), nullable=False),
    sa.Column('brand_id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('displacement', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_new_car_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_lines_new_car_monthly_enterprise_period', ['enterprise_id', 'period'], unique=False)
        batch_op.create_index('ix_lines_new_car_monthly_period_region', ['period', 'region_code'], unique=False)

    op.create_table('lines_used_car_monthly',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('direct_count', sa.Integer(), nullable=False),
    sa.Column('consignment_count', sa.Integer(), nullable=False),
    sa.Column('local_transfer_count', sa.Integer(), nullable=False),
    sa.Column('out_transfer_count', sa.Integer(), nullable=False),
    sa.Column('operating_count', sa.Integer(), nullable=False),
    sa.Column('non_operating_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('report_id', 'line_no')
    )
    with op.batch_alter_table('lines_used_car_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_lines_used_car_monthly_enterprise_period', ['enterprise_id', 'period'], unique=False)
        batch_op.create_index('ix_lines_used_car_monthly_period_region', ['period', 'region_code'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=True),
    sa.Column('quarter', sa.Integer(), nullable=True),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('filler_name', sa.String(length=50), nullable=True),
    sa.Column('filler_phone', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'kind', 'period', name='uq_reports_enterprise_kind_period')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_enterprise_kind_year', ['enterprise_id', 'kind', 'year'], unique=False)
        batch_op.create_index('ix_reports_kind_period_region', ['kind', 'period', 'region_code'], unique=False)

    op.create_table('transaction_facts',
    sa.Column('transaction_id', sa.String(length=36), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=True),
    sa.Column('trade_date', sa.Date(), nullable=True),
    sa.Column('report_category', sa.String(length=20), nullable=True),
    sa.Column('amount_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('trade_type', sa.String(length=12), nullable=True),
    sa.Column('transfer', sa.String(length=8), nullable=True),
    sa.Column('usage', sa.String(length=16), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=True),
    sa.Column('first_registration_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('transaction_id')
    )
    op.create_table('transaction_sums',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('amount_yuan', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('direct_count', sa.Integer(), nullable=False),
    sa.Column('consignment_count', sa.Integer(), nullable=False),
    sa.Column('local_transfer_count', sa.Integer(), nullable=False),
    sa.Column('out_transfer_count', sa.Integer(), nullable=False),
    sa.Column('operating_count', sa.Integer(), nullable=False),
    sa.Column('non_operating_count', sa.Integer(), nullable=False),
    sa.Column('domestic_count', sa.Integer(), nullable=False),
    sa.Column('imported_count', sa.Integer(), nullable=False),
    sa.Column('age_le_3', sa.Integer(), nullable=False),
    sa.Column('age_3_5', sa.Integer(), nullable=False),
    sa.Column('age_5_10', sa.Integer(), nullable=False),
    sa.Column('age_gt_10', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('enterprise_id', 'month', 'category')
    )
    with op.batch_alter_table('transaction_sums', schema=None) as batch_op:
        batch_op.create_index('ix_transaction_sums_month_region', ['month', 'region_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transaction_sums', schema=None) as batch_op:
        batch_op.drop_index('ix_transaction_sums_month_region')

    op.drop_table('transaction_sums')
    op.drop_table('transaction_facts')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_kind_period_region')
        batch_op.drop_index('ix_reports_enterprise_kind_year')

    op.drop_table('reports')
    with op.batch_alter_table('lines_used_car_monthly', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_used_car_monthly_period_region')
        batch_op.drop_index('ix_lines_used_car_monthly_enterprise_period')

    op.drop_table('lines_used_car_monthly')
    with op.batch_alter_table('lines_new_car_monthly', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_new_car_monthly_period_region')
        batch_op.drop_index('ix_lines_new_car_monthly_enterprise_period')

    op.drop_table('lines_new_car_monthly')
    with op.batch_alter_table('lines_new_car_annual', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_new_car_annual_period_region')
        batch_op.drop_index('ix_lines_new_car_annual_enterprise_period')

    op.drop_table('lines_new_car_annual')
    with op.batch_alter_table('lines_market_monthly', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_market_monthly_period_region')
        batch_op.drop_index('ix_lines_market_monthly_enterprise_period')

    op.drop_table('lines_market_monthly')
    with op.batch_alter_table('lines_market_annual', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_market_annual_period_region')
        batch_op.drop_index('ix_lines_market_annual_enterprise_period')

    op.drop_table('lines_market_annual')
    with op.batch_alter_table('lines_appraisal_quarterly', schema=None) as batch_op:
        batch_op.drop_index('ix_lines_appraisal_quarterly_period_region')
        batch_op.drop_index('ix_lines_appraisal_quarterly_enterprise_period')

    op.drop_table('lines_appraisal_quarterly')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_region_code'))

    op.drop_table('enterprises')
    with op.batch_alter_table('enterprise_kinds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_kinds_enterprise_id'))

    op.drop_table('enterprise_kinds')
    with op.batch_alter_table('catalog_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_models_brand_id'))

    op.drop_table('catalog_models')
    op.drop_table('catalog_manufacturers')
    op.drop_table('catalog_displacements')
    op.drop_table('catalog_brands')
