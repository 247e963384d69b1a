"""Complaints climb the area tree (community, street, bureau) one step at a time, as late needs
do: ``complaint_escalation``, one row per step and round

Revision ID: complaints_0015_escalation_steps
Revises: notices_0014
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'complaints_0015_escalation_steps'
down_revision = 'notices_0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint_escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('told', sa.Integer(), nullable=False),
    sa.Column('told_names', sa.String(length=400), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('step >= 1', name=op.f('ck_complaint_escalation_step_positive')),
    sa.CheckConstraint('round >= 0', name=op.f('ck_complaint_escalation_round_positive')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_complaint_escalation_area_id_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_escalation_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_complaint_escalation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_escalation')),
    sa.UniqueConstraint('complaint_id', 'round', 'step', name=op.f('uq_complaint_escalation_complaint_id_round_step'))
    )
    with op.batch_alter_table('complaint_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_escalation_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_escalation_tenant_id'), ['tenant_id'], unique=False)
    # Complaints already told to the bureau keep that as the one step of the round it was for.
    op.execute("INSERT INTO complaint_escalation (complaint_id, round, step, area_id, told, "
               "tenant_id, created_at) SELECT id, COALESCE(escalated_for, 0), 1, NULL, 0, "
               "tenant_id, escalated_at FROM complaint WHERE escalated_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('complaint_escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_escalation_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_escalation_complaint_id'))
    op.drop_table('complaint_escalation')
