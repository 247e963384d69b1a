"""Complaints followed through: about a service, an organization, a volunteer or the process
(booking and organization optional), with a handler, a deadline, the resident's verdict
(satisfied or reopened with a reason) and escalation to the bureau

Revision ID: complaints_0011
Revises: tranche_0010
Create Date: 2026-12-08 10:00:00

"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'complaints_0011'
down_revision = 'tranche_0010'
branch_labels = None
depends_on = None

CHECKS = {
    'service_has_booking': "kind <> 'service' OR booking_id IS NOT NULL",
    'organization_named': "kind <> 'organization' OR org_id IS NOT NULL",
    'process_to_bureau': "kind <> 'process' OR org_id IS NULL",
    'reopened_count_positive': 'reopened_count >= 0',
}
#: Complaints filed before deadlines existed get seven calendar days (about five working
#: days) from their filing.
BACKFILL_DAYS = 7


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), nullable=False,
                                      server_default='service'))
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('volunteer_name', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('handler_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reopen_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reopened_count', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_for', sa.Integer(), nullable=True))

    complaint = sa.table('complaint', sa.column('id', sa.Integer),
                         sa.column('created_at', sa.DateTime(timezone=True)),
                         sa.column('due_on', sa.Date))
    bind = op.get_bind()
    for ident, created in bind.execute(sa.select(complaint.c.id, complaint.c.created_at)).all():
        if isinstance(created, str):  # SQLite without type processing
            created = datetime.fromisoformat(created)
        bind.execute(complaint.update().where(complaint.c.id == ident)
                     .values(due_on=(created + timedelta(days=BACKFILL_DAYS)).date()))

    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.alter_column('due_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('booking_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column('org_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f('ix_complaint_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_complaint_waiting', ['tenant_id', 'status', 'due_on'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaint_handler_id_user'), 'user',
                                    ['handler_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_complaint_area_id_area'), 'area',
                                    ['area_id'], ['id'], ondelete='SET NULL')
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(op.f(f'ck_complaint_{name}'), condition)


def downgrade():
    # The old table knows only complaints about a booked service, answered or not: the
    # others cannot be kept.
    op.execute("DELETE FROM complaint WHERE booking_id IS NULL OR org_id IS NULL")
    op.execute("UPDATE complaint SET status = 'answered' WHERE status = 'satisfied'")
    op.execute("UPDATE complaint SET status = 'open' WHERE status = 'reopened'")
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        for name in CHECKS:
            batch_op.drop_constraint(op.f(f'ck_complaint_{name}'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_complaint_area_id_area'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_complaint_handler_id_user'), type_='foreignkey')
        batch_op.drop_index('ix_complaint_waiting')
        batch_op.drop_index(batch_op.f('ix_complaint_user_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_handler_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_area_id'))
        batch_op.alter_column('org_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column('booking_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('escalated_for')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('reopened_count')
        batch_op.drop_column('reopened_at')
        batch_op.drop_column('reopen_reason')
        batch_op.drop_column('due_on')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('handler_id')
        batch_op.drop_column('volunteer_name')
        batch_op.drop_column('area_id')
        batch_op.drop_column('kind')
