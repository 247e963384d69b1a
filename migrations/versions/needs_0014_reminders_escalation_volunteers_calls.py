"""Needs followed through: a reminder before the deadline, escalation up the area tree step by
step (and the staff in charge of each area), a volunteer's own claim, and the call for
proposals a cluster of needs started

Revision ID: needs_0014
Revises: national_0013
Create Date: 2026-12-12 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'needs_0014'
down_revision = 'national_0013'
branch_labels = None
depends_on = None

HAS_CLAIMANT = ("status = 'open' OR claimed_org_id IS NOT NULL "
                "OR claimed_volunteer_id IS NOT NULL")


def upgrade():
    op.create_table('area_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_area_staff_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_area_staff_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_area_staff_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_staff')),
    sa.UniqueConstraint('area_id', 'user_id', name=op.f('uq_area_staff_area_id_user_id'))
    )
    with op.batch_alter_table('area_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_staff_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_staff_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_staff_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_volunteer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_need_claimed_volunteer_id'), ['claimed_volunteer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_need_claimed_volunteer_id_user'), 'user', ['claimed_volunteer_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_need_call_id_call'), 'call', ['call_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(op.f('ck_need_claimed_has_org'), type_='check')
        batch_op.create_check_constraint(op.f('ck_need_claimed_has_claimant'), HAS_CLAIMANT)
        batch_op.create_check_constraint(op.f('ck_need_one_claimant'),
                                         'claimed_org_id IS NULL OR claimed_volunteer_id IS NULL')

    with op.batch_alter_table('need_decline', schema=None) as batch_op:
        batch_op.alter_column('org_id', existing_type=sa.Integer(), nullable=True)

    op.create_table('need_escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('told', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('step >= 1', name=op.f('ck_need_escalation_step_positive')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_need_escalation_area_id_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_escalation_need_id_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_need_escalation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_escalation')),
    sa.UniqueConstraint('need_id', 'step', name=op.f('uq_need_escalation_need_id_step'))
    )
    with op.batch_alter_table('need_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_escalation_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_escalation_tenant_id'), ['tenant_id'], unique=False)
    # Needs already told to the bureau keep that as their one step.
    op.execute("INSERT INTO need_escalation (need_id, step, area_id, told, tenant_id, created_at) "
               "SELECT id, 1, NULL, 0, tenant_id, escalated_at FROM need "
               "WHERE escalated_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('need_escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_escalation_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_need_escalation_need_id'))
    op.drop_table('need_escalation')
    op.execute("DELETE FROM need_decline WHERE org_id IS NULL")
    with op.batch_alter_table('need_decline', schema=None) as batch_op:
        batch_op.alter_column('org_id', existing_type=sa.Integer(), nullable=False)
    op.execute("UPDATE need SET status = 'open', claimed_by_id = NULL, claimed_at = NULL "
               "WHERE claimed_volunteer_id IS NOT NULL")
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_need_one_claimant'), type_='check')
        batch_op.drop_constraint(op.f('ck_need_claimed_has_claimant'), type_='check')
        batch_op.create_check_constraint(op.f('ck_need_claimed_has_org'),
                                         "status = 'open' OR claimed_org_id IS NOT NULL")
        batch_op.drop_constraint(batch_op.f('fk_need_call_id_call'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_need_claimed_volunteer_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_need_call_id'))
        batch_op.drop_index(batch_op.f('ix_need_claimed_volunteer_id'))
        batch_op.drop_column('call_id')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('claimed_volunteer_id')

    with op.batch_alter_table('area_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_area_staff_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_area_staff_area_id'))
    op.drop_table('area_staff')
