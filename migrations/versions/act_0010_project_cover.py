"""Projects: an optional cover photo

Revision ID: act_0010
Revises: search_0010
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'act_0010'
down_revision = 'search_0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cover_mime', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('cover_mime')
        batch_op.drop_column('cover_key')
