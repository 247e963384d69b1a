"""Organizations onboarding and the project marketplace

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 05:56:19.482843

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table('org_area',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_org_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_org_area_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_org_area_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'area_id', name=op.f('pk_org_area'))
    )
    with op.batch_alter_table('org_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_area_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_area_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('org_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('phone IS NOT NULL OR email IS NOT NULL', name=op.f('ck_org_invitation_has_account')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_org_invitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_org_invitation_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_org_invitation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_invitation'))
    )
    with op.batch_alter_table('org_invitation', schema=None) as batch_op:
        batch_op.create_index('ix_org_invitation_email', ['tenant_id', 'email'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_invitation_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_org_invitation_phone', ['tenant_id', 'phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_invitation_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('project_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('file_key', sa.String(length=300), nullable=False),
    sa.Column('mime', sa.String(length=60), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_project_evidence_org_id_organization'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_evidence_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_project_evidence_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_evidence'))
    )
    with op.batch_alter_table('project_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_evidence_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_evidence_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_evidence_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('legal_representative', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_incubator', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('certificate_file', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('certificate_mime', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organization_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organization_registered_by_id_user'), 'user', ['registered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_organization_parent_id_organization'), 'organization', ['parent_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_organization_reviewed_by_id_user'), 'user', ['reviewed_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        # Bigrams of search_text for the marketplace's Chinese search: a text[] with a GIN
        # index on PostgreSQL, JSON (not indexed: SQLite scans search_text) elsewhere.
        batch_op.add_column(sa.Column(
            'search_grams', postgresql.ARRAY(sa.Text()) if postgres else sa.JSON(),
            server_default=sa.text("'{}'" if postgres else "'[]'"), nullable=False))
        batch_op.create_index('ix_project_listing', ['tenant_id', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_project_search_grams', ['search_grams'], unique=False, postgresql_using='gin', sqlite_where=sa.text('0'))

    # Projects made before this revision become searchable too.
    if postgres:
        op.execute("UPDATE project SET search_text = lower(concat_ws(' ', name, theme, highlights, content))")
        op.execute("""UPDATE project SET search_grams = coalesce((
            SELECT array_agg(DISTINCT g ORDER BY g) FROM (
                SELECT substr(search_text, i, 2) AS g FROM generate_series(1, length(search_text) - 1) AS i
            ) AS grams WHERE g !~ '\\s'), '{}')""")
    else:
        op.execute("UPDATE project SET search_text = lower(name || ' ' || theme || ' ' || highlights || ' ' || content)")

    with op.batch_alter_table('service_slot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('slot_booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_group', sa.String(length=40), nullable=True))



def downgrade():
    with op.batch_alter_table('slot_booking', schema=None) as batch_op:
        batch_op.drop_column('declared_group')

    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('service_slot', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_search_grams', postgresql_using='gin', sqlite_where=sa.text('0'))
        batch_op.drop_index('ix_project_listing')
        batch_op.drop_column('search_grams')
        batch_op.drop_column('search_text')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organization_reviewed_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_organization_parent_id_organization'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_organization_registered_by_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organization_parent_id'))
        batch_op.drop_column('registered_by_id')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('certificate_mime')
        batch_op.drop_column('certificate_file')
        batch_op.drop_column('is_incubator')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('legal_representative')
        batch_op.drop_column('description')

    with op.batch_alter_table('project_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_evidence_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_project_evidence_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_evidence_org_id'))

    op.drop_table('project_evidence')
    with op.batch_alter_table('org_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_invitation_tenant_id'))
        batch_op.drop_index('ix_org_invitation_phone')
        batch_op.drop_index(batch_op.f('ix_org_invitation_org_id'))
        batch_op.drop_index('ix_org_invitation_email')

    op.drop_table('org_invitation')
    with op.batch_alter_table('org_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_area_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_org_area_area_id'))

    op.drop_table('org_area')
