"""A project delivers at most one contract of its own organization

Revision ID: figures_0010
Revises: people_0010
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'figures_0010'
down_revision = 'people_0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_contract_tenant_id_org_id_id',
                                          ['tenant_id', 'org_id', 'id'])
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_project_contract_id'), ['contract_id'], unique=False)
        batch_op.create_foreign_key('fk_project_contract_same_org', 'contract',
                                    ['tenant_id', 'org_id', 'contract_id'],
                                    ['tenant_id', 'org_id', 'id'])


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_constraint('fk_project_contract_same_org', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_project_contract_id'))
        batch_op.drop_column('contract_id')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint('uq_contract_tenant_id_org_id_id', type_='unique')
