"""The search's listing of an area's published projects: an index the search reads alone.

Revision ID: search_0016_area_listing
Revises: claims_0015_account_claims
"""

from alembic import op

revision = "search_0016_area_listing"
down_revision = "claims_0015_account_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index("ix_project_area_listing",
                              ["tenant_id", "status", "area_id", "published_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index("ix_project_area_listing")
