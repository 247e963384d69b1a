"""Monthly reports (每月通报): one published snapshot per organization, or for the whole
district, and calendar month

Revision ID: monthly_0012
Revises: consult_0012
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'monthly_0012'
down_revision = 'consult_0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monthly_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('month >= 1 AND month <= 12', name=op.f('ck_monthly_report_month_range')),
    sa.CheckConstraint('year >= 2000 AND year <= 2100', name=op.f('ck_monthly_report_year_range')),
    sa.CheckConstraint("trigger IN ('schedule', 'bureau')", name=op.f('ck_monthly_report_trigger_known')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_monthly_report_made_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_monthly_report_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_monthly_report_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_report'))
    )
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_report_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_report_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_monthly_report_district_month', ['tenant_id', 'year', 'month'], unique=True,
                              sqlite_where=sa.text('org_id IS NULL'), postgresql_where=sa.text('org_id IS NULL'))
        batch_op.create_index('uq_monthly_report_org_month', ['tenant_id', 'org_id', 'year', 'month'], unique=True,
                              sqlite_where=sa.text('org_id IS NOT NULL'), postgresql_where=sa.text('org_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.drop_index('uq_monthly_report_org_month')
        batch_op.drop_index('uq_monthly_report_district_month')
        batch_op.drop_index(batch_op.f('ix_monthly_report_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_monthly_report_org_id'))
    op.drop_table('monthly_report')
