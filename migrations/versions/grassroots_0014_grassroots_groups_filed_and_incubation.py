"""Grassroots community groups: an organization's standing (registered, or filed (备案) with
the street without a credit code, so the credit code may be empty for it), the filing record
and the sponsor's answer, incubation (入驻 → 培育 → 出壳) with its moves, milestones, and
leaders' training records

Revision ID: grassroots_0014
Revises: needs_0014
Create Date: 2026-12-07 04:39:13.471030

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'grassroots_0014'
down_revision = 'needs_0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('filing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('filed_with_id', sa.Integer(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('document_file', sa.String(length=300), nullable=True),
    sa.Column('document_mime', sa.String(length=60), nullable=True),
    sa.Column('sponsor_status', sa.String(length=12), nullable=False),
    sa.Column('sponsor_note', sa.Text(), server_default='', nullable=False),
    sa.Column('sponsor_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sponsor_answered_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sponsor_status IN ('pending', 'confirmed', 'declined')", name=op.f('ck_filing_sponsor_status_known')),
    sa.ForeignKeyConstraint(['filed_with_id'], ['area.id'], name=op.f('fk_filing_filed_with_id_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_filing_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sponsor_answered_by_id'], ['user.id'], name=op.f('fk_filing_sponsor_answered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_filing_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing')),
    sa.UniqueConstraint('org_id', name=op.f('uq_filing_org_id')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_filing_tenant_id_number'))
    )
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_filed_with_id'), ['filed_with_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filing_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filing_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('incubation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('stage_since', sa.Date(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stage IN ('admitted', 'nurturing', 'graduated')", name=op.f('ck_incubation_stage_known')),
    sa.ForeignKeyConstraint(['incubator_id'], ['organization.id'], name=op.f('fk_incubation_incubator_id_organization'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_incubation_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_incubation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation')),
    sa.UniqueConstraint('org_id', name=op.f('uq_incubation_org_id'))
    )
    with op.batch_alter_table('incubation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('leader_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person', sa.String(length=40), nullable=False),
    sa.Column('course', sa.String(length=120), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_leader_training_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_leader_training_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_leader_training_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leader_training'))
    )
    with op.batch_alter_table('leader_training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leader_training_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leader_training_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('incubation_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('evidence_note', sa.Text(), server_default='', nullable=False),
    sa.Column('evidence_file', sa.String(length=300), nullable=True),
    sa.Column('evidence_mime', sa.String(length=60), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_incubation_milestone_added_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_incubation_milestone_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incubation_id'], ['incubation.id'], name=op.f('fk_incubation_milestone_incubation_id_incubation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_incubation_milestone_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_incubation_milestone_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_milestone'))
    )
    with op.batch_alter_table('incubation_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_milestone_incubation_id'), ['incubation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_milestone_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_milestone_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('stage_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incubation_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=12), nullable=True),
    sa.Column('to_stage', sa.String(length=12), nullable=False),
    sa.Column('moved_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("to_stage IN ('admitted', 'nurturing', 'graduated')", name=op.f('ck_stage_move_to_stage_known')),
    sa.ForeignKeyConstraint(['incubation_id'], ['incubation.id'], name=op.f('fk_stage_move_incubation_id_incubation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moved_by_id'], ['user.id'], name=op.f('fk_stage_move_moved_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_stage_move_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_stage_move_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_move'))
    )
    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_move_incubation_id'), ['incubation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_move_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_move_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing', sa.String(length=12), server_default='registered', nullable=False))
        batch_op.alter_column('credit_code',
               existing_type=sa.VARCHAR(length=18),
               nullable=True)
        batch_op.create_check_constraint(op.f('ck_organization_standing_known'),
                                         "standing IN ('registered', 'filed')")
        batch_op.create_check_constraint(op.f('ck_organization_registered_has_code'),
                                         "standing = 'filed' OR credit_code IS NOT NULL")



def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organization_registered_has_code'), type_='check')
        batch_op.drop_constraint(op.f('ck_organization_standing_known'), type_='check')
        batch_op.alter_column('credit_code',
               existing_type=sa.VARCHAR(length=18),
               nullable=False)
        batch_op.drop_column('standing')

    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_move_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_stage_move_org_id'))
        batch_op.drop_index(batch_op.f('ix_stage_move_incubation_id'))

    op.drop_table('stage_move')
    with op.batch_alter_table('incubation_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_milestone_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_milestone_org_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_milestone_incubation_id'))

    op.drop_table('incubation_milestone')
    with op.batch_alter_table('leader_training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leader_training_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_leader_training_org_id'))

    op.drop_table('leader_training')
    with op.batch_alter_table('incubation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_org_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_incubator_id'))

    op.drop_table('incubation')
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filing_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_filing_org_id'))
        batch_op.drop_index(batch_op.f('ix_filing_filed_with_id'))

    op.drop_table('filing')
