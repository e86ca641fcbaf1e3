"""self-service password reset: reserved e-mail and mobile on accounts, hashed reset codes

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('mobile', sa.String(length=11), nullable=True))
    op.create_table(
        'password_reset_codes',
        sa.Column('id', sa.String(length=36), primary_key=True),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('account_id', sa.String(length=36), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('code_hash', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=True),
        sa.Column('wrong_tries', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
    )
    op.create_index('ix_password_reset_codes_key_created', 'password_reset_codes', ['key', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_password_reset_codes_key_created', table_name='password_reset_codes')
    op.drop_table('password_reset_codes')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('mobile')
        batch_op.drop_column('email')
