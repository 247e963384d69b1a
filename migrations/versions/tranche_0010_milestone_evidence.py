"""A tranche's milestone evidence: the files that show the milestone is met and the written
reason a payment needs when it comes before its planned date or without any file

Revision ID: tranche_0010
Revises: needs_0010
Create Date: 2026-12-07 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'tranche_0010'
down_revision = 'needs_0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tranche', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_reason', sa.Text(), nullable=False,
                                      server_default=''))
    op.create_table('tranche_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=60), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_tranche_evidence_size_positive')),
    sa.ForeignKeyConstraint(['tranche_id'], ['tranche.id'], name=op.f('fk_tranche_evidence_tranche_id_tranche'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_tranche_evidence_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_tranche_evidence_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_tranche_evidence_uploaded_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tranche_evidence'))
    )
    with op.batch_alter_table('tranche_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tranche_evidence_tranche_id'), ['tranche_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tranche_evidence_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tranche_evidence_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tranche_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tranche_evidence_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_tranche_evidence_org_id'))
        batch_op.drop_index(batch_op.f('ix_tranche_evidence_tranche_id'))
    op.drop_table('tranche_evidence')
    with op.batch_alter_table('tranche', schema=None) as batch_op:
        batch_op.drop_column('request_reason')
