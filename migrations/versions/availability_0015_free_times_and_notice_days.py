"""Volunteers' usual free times (空闲时间, a weekday × part-of-day grid on their record), and the
count of notices of suitable shifts each person had on a day (the daily cap, held by a
conditional UPDATE on one row per person and day)

Revision ID: availability_0015
Revises: complaints_0015_escalation_steps
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'availability_0015'
down_revision = 'complaints_0015_escalation_steps'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_times', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))
        batch_op.create_check_constraint(op.f('ck_volunteer_profile_free_times_grid'),
                                         'free_times >= 0 AND free_times < 2097152')

    op.create_table('shift_notice_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('sent >= 0', name=op.f('ck_shift_notice_day_sent_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_shift_notice_day_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_shift_notice_day_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_notice_day')),
    sa.UniqueConstraint('tenant_id', 'user_id', 'day', name=op.f('uq_shift_notice_day_tenant_id_user_id_day'))
    )
    with op.batch_alter_table('shift_notice_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_notice_day_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_notice_day_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shift_notice_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_notice_day_user_id'))
        batch_op.drop_index(batch_op.f('ix_shift_notice_day_tenant_id'))

    op.drop_table('shift_notice_day')
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_volunteer_profile_free_times_grid'), type_='check')
        batch_op.drop_column('free_times')
