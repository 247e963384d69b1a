"""The district's rules as versioned data: each change to a rule with its value before and
after, the day it takes effect, its proposer and (money rules) its second approver; and the
tenant's timeline of approved changes that ``Tenant.setting`` reads; the approval ladder:
each expenditure's steps, a second officer's approval, the residents' assembly decision and the
procurement record with their files

Revision ID: rules_0011
Revises: series_0011
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'rules_0011'
down_revision = "series_0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'approved' OR decided_by_id IS NULL OR decided_by_id <> proposed_by_id", name=op.f('ck_rule_change_second_officer')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_rule_change_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_rule_change_decided_by_id_user')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_rule_change_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_rule_change_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_change'))
    )
    with op.batch_alter_table('rule_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_change_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_rule_change_tenant_rule', ['tenant_id', 'rule', 'status'], unique=False)

    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_timeline', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    op.create_table('assembly_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expenditure_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=False),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.Column('votes_abstain', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attendance > 0 AND votes_for >= 0 AND votes_against >= 0 AND votes_abstain >= 0', name=op.f('ck_assembly_decision_counts_sane')),
    sa.CheckConstraint('votes_for * 2 > attendance', name=op.f('ck_assembly_decision_majority_for')),
    sa.CheckConstraint('votes_for + votes_against + votes_abstain <= attendance', name=op.f('ck_assembly_decision_votes_within_attendance')),
    sa.ForeignKeyConstraint(['expenditure_id'], ['expenditure.id'], name=op.f('fk_assembly_decision_expenditure_id_expenditure'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_assembly_decision_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_assembly_decision_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_assembly_decision_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_decision'))
    )
    with op.batch_alter_table('assembly_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_decision_expenditure_id'), ['expenditure_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_assembly_decision_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_decision_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('procurement_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expenditure_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('supplier', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('quotes', 'tender')", name=op.f('ck_procurement_record_method_known')),
    sa.ForeignKeyConstraint(['expenditure_id'], ['expenditure.id'], name=op.f('fk_procurement_record_expenditure_id_expenditure'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_procurement_record_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_procurement_record_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_procurement_record_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_record'))
    )
    with op.batch_alter_table('procurement_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_record_expenditure_id'), ['expenditure_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_procurement_record_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procurement_record_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('step_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expenditure_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=60), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("step IN ('assembly', 'procurement')", name=op.f('ck_step_file_step_known')),
    sa.CheckConstraint('size > 0', name=op.f('ck_step_file_size_positive')),
    sa.ForeignKeyConstraint(['expenditure_id'], ['expenditure.id'], name=op.f('fk_step_file_expenditure_id_expenditure'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_step_file_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_step_file_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_step_file_uploaded_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_file'))
    )
    with op.batch_alter_table('step_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_file_expenditure_id'), ['expenditure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_file_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_file_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('steps', sa.String(length=80), server_default='org', nullable=False))
        batch_op.add_column(sa.Column('leader_approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('leader_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_expenditure_leader_approved_by_id_user'), 'user', ['leader_approved_by_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            'leader_is_a_second_person',
            "leader_approved_by_id IS NULL OR (leader_approved_by_id <> recorded_by_id"
            " AND (bureau_approved_by_id IS NULL"
            " OR leader_approved_by_id <> bureau_approved_by_id))")
    # Expenditures recorded before the ladder keep the approvals they were recorded under.
    op.execute(sa.text("UPDATE expenditure SET steps = 'org,bureau' WHERE needs_bureau"))


def downgrade():
    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_expenditure_leader_is_a_second_person'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_expenditure_leader_approved_by_id_user'), type_='foreignkey')
        batch_op.drop_column('leader_approved_at')
        batch_op.drop_column('leader_approved_by_id')
        batch_op.drop_column('steps')

    with op.batch_alter_table('step_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_file_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_step_file_org_id'))
        batch_op.drop_index(batch_op.f('ix_step_file_expenditure_id'))

    op.drop_table('step_file')
    with op.batch_alter_table('procurement_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_record_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_record_org_id'))
        batch_op.drop_index(batch_op.f('ix_procurement_record_expenditure_id'))

    op.drop_table('procurement_record')
    with op.batch_alter_table('assembly_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_decision_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_decision_org_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_decision_expenditure_id'))

    op.drop_table('assembly_decision')

    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('rule_timeline')

    with op.batch_alter_table('rule_change', schema=None) as batch_op:
        batch_op.drop_index('ix_rule_change_tenant_rule')
        batch_op.drop_index(batch_op.f('ix_rule_change_tenant_id'))

    op.drop_table('rule_change')
