"""The district's rules as versioned data: each change to a rule with its value before and
after, the day it takes effect, its proposer and (money rules) its second approver; and the
tenant's timeline of approved changes that ``Tenant.setting`` reads

Revision ID: rules_0011
Revises: tranche_0010
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'rules_0011'
down_revision = 'tranche_0010'
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



def downgrade():
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('rule_timeline')

    with op.batch_alter_table('rule_change', schema=None) as batch_op:
        batch_op.drop_index('ix_rule_change_tenant_rule')
        batch_op.drop_index(batch_op.f('ix_rule_change_tenant_id'))

    op.drop_table('rule_change')
