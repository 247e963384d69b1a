"""The time bank (时间银行): a time account per person and one community pool per district,
and their entries (deposits from verified hours, donations above the cap, gifts, payments for
services, refunds and corrections), each with its ledger event in the commodity HOUR

Revision ID: timebank_0012
Revises: proxy_0012
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'timebank_0012'
down_revision = 'proxy_0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('time_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('balance_minutes', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance_minutes % 15 = 0', name=op.f('ck_time_account_balance_in_quarters')),
    sa.CheckConstraint('balance_minutes >= 0', name=op.f('ck_time_account_balance_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_time_account_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_time_account_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_account'))
    )
    with op.batch_alter_table('time_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_account_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_time_account_person', ['tenant_id', 'user_id'], unique=True, sqlite_where=sa.text('user_id IS NOT NULL'), postgresql_where=sa.text('user_id IS NOT NULL'))
        batch_op.create_index('uq_time_account_pool', ['tenant_id'], unique=True, sqlite_where=sa.text('user_id IS NULL'), postgresql_where=sa.text('user_id IS NULL'))

    op.create_table('time_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('counterpart_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('deposit','donation','gift_out','gift_in','payment','refund','reversal')", name=op.f('ck_time_entry_kind_known')),
    sa.CheckConstraint('balance_after >= 0', name=op.f('ck_time_entry_balance_after_not_negative')),
    sa.CheckConstraint('minutes <> 0 AND minutes % 15 = 0', name=op.f('ck_time_entry_minutes_in_quarters')),
    sa.ForeignKeyConstraint(['account_id'], ['time_account.id'], name=op.f('fk_time_entry_account_id_time_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['booking_id'], ['slot_booking.id'], name=op.f('fk_time_entry_booking_id_slot_booking'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_time_entry_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['counterpart_id'], ['user.id'], name=op.f('fk_time_entry_counterpart_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_time_entry_org_id_organization'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_id'], ['ledger_outbox.id'], name=op.f('fk_time_entry_outbox_id_ledger_outbox')),
    sa.ForeignKeyConstraint(['record_id'], ['service_record.id'], name=op.f('fk_time_entry_record_id_service_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reverses_id'], ['time_entry.id'], name=op.f('fk_time_entry_reverses_id_time_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_time_entry_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entry'))
    )
    with op.batch_alter_table('time_entry', schema=None) as batch_op:
        batch_op.create_index('ix_time_entry_account', ['account_id', 'id'], unique=False)
        batch_op.create_index('ix_time_entry_booking', ['booking_id'], unique=False)
        batch_op.create_index('ix_time_entry_record', ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entry_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('time_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entry_tenant_id'))
        batch_op.drop_index('ix_time_entry_record')
        batch_op.drop_index('ix_time_entry_booking')
        batch_op.drop_index('ix_time_entry_account')

    op.drop_table('time_entry')
    with op.batch_alter_table('time_account', schema=None) as batch_op:
        batch_op.drop_index('uq_time_account_pool', sqlite_where=sa.text('user_id IS NULL'), postgresql_where=sa.text('user_id IS NULL'))
        batch_op.drop_index('uq_time_account_person', sqlite_where=sa.text('user_id IS NOT NULL'), postgresql_where=sa.text('user_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_time_account_tenant_id'))

    op.drop_table('time_account')
