"""A role is granted once, and a person has one pending invitation per role and organization:
unique (partial) indexes, so that concurrent requests cannot write the same row twice.

Duplicates already written are cleared first: the later grant goes (it gave nothing more),
the later pending invitation is withdrawn.

Revision ID: ci_0010
Revises: act_0010
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ci_0010'
down_revision = 'act_0010'
branch_labels = None
depends_on = None

TENANT_ROLE = sa.text('org_id IS NULL')
ORG_ROLE = sa.text('org_id IS NOT NULL')
PENDING = sa.text("status = 'pending'")


def upgrade():
    op.execute("DELETE FROM role_grant WHERE id NOT IN ("
               "SELECT min(id) FROM role_grant GROUP BY user_id, tenant_id, org_id, role)")
    op.execute("UPDATE org_invitation SET status = 'withdrawn' WHERE status = 'pending' "
               "AND id NOT IN (SELECT min(id) FROM org_invitation WHERE status = 'pending' "
               "GROUP BY org_id, role, phone, email)")
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index('uq_role_grant_tenant_role', ['user_id', 'tenant_id', 'role'],
                              unique=True, sqlite_where=TENANT_ROLE, postgresql_where=TENANT_ROLE)
        batch_op.create_index('uq_role_grant_org_role', ['user_id', 'org_id', 'role'],
                              unique=True, sqlite_where=ORG_ROLE, postgresql_where=ORG_ROLE)
    with op.batch_alter_table('org_invitation', schema=None) as batch_op:
        batch_op.create_index('uq_org_invitation_pending_phone', ['org_id', 'role', 'phone'],
                              unique=True, sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.create_index('uq_org_invitation_pending_email', ['org_id', 'role', 'email'],
                              unique=True, sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    with op.batch_alter_table('org_invitation', schema=None) as batch_op:
        batch_op.drop_index('uq_org_invitation_pending_email', sqlite_where=PENDING,
                            postgresql_where=PENDING)
        batch_op.drop_index('uq_org_invitation_pending_phone', sqlite_where=PENDING,
                            postgresql_where=PENDING)
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index('uq_role_grant_org_role', sqlite_where=ORG_ROLE,
                            postgresql_where=ORG_ROLE)
        batch_op.drop_index('uq_role_grant_tenant_role', sqlite_where=TENANT_ROLE,
                            postgresql_where=TENANT_ROLE)
