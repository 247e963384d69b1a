"""Recurring schedules of shifts and service slots (each date keyed by its schedule and the
day its rule gave it), and each person's private calendar address (only its hash)

Revision ID: series_0011
Revises: complaints_0011
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'series_0011'
down_revision = "complaints_0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id'))
    )
    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('interval_n', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('nth', sa.Integer(), nullable=False),
    sa.Column('nth_weekday', sa.Integer(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('skip_holidays', sa.Boolean(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('required_skills', sa.String(length=200), nullable=False),
    sa.Column('insurance_required', sa.Boolean(), nullable=False),
    sa.Column('target_group', sa.String(length=40), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("frequency IN ('weekly', 'monthly')", name=op.f('ck_series_frequency_known')),
    sa.CheckConstraint("kind IN ('shift', 'slot')", name=op.f('ck_series_kind_known')),
    sa.CheckConstraint('(until IS NULL) <> (count IS NULL)', name=op.f('ck_series_one_end')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_series_capacity_positive')),
    sa.CheckConstraint('count IS NULL OR (count >= 1 AND count <= 200)', name=op.f('ck_series_count_range')),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 1440', name=op.f('ck_series_duration_range')),
    sa.CheckConstraint('interval_n >= 1 AND interval_n <= 12', name=op.f('ck_series_interval_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_series_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_series_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_series_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_series_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series'))
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('service_slot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('occurs_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_slot_series_id'), ['series_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_service_slot_series_id_occurs_on'), ['series_id', 'occurs_on'])
        batch_op.create_foreign_key(batch_op.f('fk_service_slot_series_id_series'), 'series', ['series_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('occurs_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_shift_series_id'), ['series_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_shift_series_id_occurs_on'), ['series_id', 'occurs_on'])
        batch_op.create_foreign_key(batch_op.f('fk_shift_series_id_series'), 'series', ['series_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_shift_series_id_series'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_shift_series_id_occurs_on'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_shift_series_id'))
        batch_op.drop_column('occurs_on')
        batch_op.drop_column('series_id')

    with op.batch_alter_table('service_slot', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_slot_series_id_series'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_service_slot_series_id_occurs_on'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_service_slot_series_id'))
        batch_op.drop_column('occurs_on')
        batch_op.drop_column('series_id')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_series_project_id'))
        batch_op.drop_index(batch_op.f('ix_series_org_id'))

    op.drop_table('series')
    op.drop_table('calendar_feed')
